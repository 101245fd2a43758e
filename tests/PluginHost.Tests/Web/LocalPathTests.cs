using PluginHost.Addons.QueueJob.Internal;

namespace PluginHost.Tests.Web;

/// <summary>What a related action's redirect may go to: a path on this site, nothing that leaves it (issue 13).</summary>
public sealed class LocalPathTests
{
    [TestCase("/", true)]
    [TestCase("/web/record/x/1?ids=1,2#top", true)]
    [TestCase("", false)]
    [TestCase("web/record/x/1", false)]
    [TestCase("//evil.example/x", false)]
    [TestCase("/\\evil.example", false)]
    [TestCase("http://localhost/web", false)]
    [TestCase("/web\r\nSet-Cookie: x=1", false)]
    public void Only_a_path_from_the_site_root_is_local(string url, bool local) =>
        Assert.That(LocalPath.IsLocal(url), Is.EqualTo(local));
}
