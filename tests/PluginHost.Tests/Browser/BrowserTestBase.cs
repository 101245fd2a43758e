using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Browser;

/// <summary>
/// A test in a real browser: a host booted in process (web and queue_job server-wide, test_queue_job and
/// queue_job_demo installed, a runner with capacity <c>root:2</c>) and Debian's Chromium, headless, driven by
/// Playwright. <see cref="Page"/> is logged in as admin through the login form. Every page opened by the test
/// records the dialogs it opens in <see cref="Dialogs"/>, which must stay empty where no script may run.
/// </summary>
public abstract class BrowserTestBase : PlaywrightTest
{
    /// <summary>How long a wait on the page (an element, a text) lasts before the test fails: long enough for a job and a live refresh.</summary>
    protected const float WaitMilliseconds = 30_000;

    private readonly List<string> _dialogs = [];

    private IBrowser? _browser;

    internal TestDatabase Database { get; private set; } = null!;

    internal BootedHost Host { get; private set; } = null!;

    /// <summary>Makes the jobs the test looks at.</summary>
    internal BrowserJobs Jobs { get; private set; } = null!;

    /// <summary>The site's address, <c>http://127.0.0.1:PORT</c>.</summary>
    protected string BaseUrl { get; private set; } = null!;

    /// <summary>A page logged in as admin, 1280×800.</summary>
    protected IPage Page { get; private set; } = null!;

    /// <summary>The messages of the dialogs (alert, confirm, prompt) any page of this test opened; each was dismissed.</summary>
    protected IReadOnlyList<string> Dialogs
    {
        get
        {
            lock (_dialogs)
            {
                return [.. _dialogs];
            }
        }
    }

    [SetUp]
    public async Task StartHostAndBrowserAsync()
    {
        var chromium = ChromiumExecutable.Require();
        Database = new TestDatabase();
        var options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job", "queue_job_demo"], Workers = 2,
        };
        BaseUrl = $"http://{options.HttpInterface}:{options.HttpPort}";
        Host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" });
        await Host.Host.StartAsync();
        Jobs = new BrowserJobs(Host, Database);
        _browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"],
        });
        Page = await LoggedInPageAsync();
    }

    [TearDown]
    public async Task StopHostAndBrowserAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed && Page is not null)
        {
            await KeepScreenshotAsync(Page);
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    /// <summary>A page in a fresh browser context (no cookie): an anonymous visitor.</summary>
    protected async Task<IPage> AnonymousPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.Page += (_, page) => page.Dialog += async (_, dialog) =>
        {
            lock (_dialogs)
            {
                _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }

            await dialog.DismissAsync();
        };
        return await context.NewPageAsync();
    }

    /// <summary>A page in a fresh browser context, logged in as <paramref name="login"/> through the login form.</summary>
    protected async Task<IPage> LoggedInPageAsync(string login = "admin", string password = "admin")
    {
        var page = await AnonymousPageAsync();
        await page.GotoAsync("/web/login");
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("form[action='/web/login'] button[type=submit]").ClickAsync();
        // The header shows the logout button to logged-in users only.
        await Expect(page.Locator("button#logout")).ToBeVisibleAsync(new() { Timeout = WaitMilliseconds });
        return page;
    }

    /// <summary>The cookies of <paramref name="page"/>'s context as a <c>Cookie</c> header: the victim's cookies a forger would ride.</summary>
    protected static async Task<string> CookieHeaderAsync(IPage page) =>
        string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

    /// <summary>A client of the site that sends <paramref name="cookieHeader"/> as it is, follows no redirect and keeps no cookie.</summary>
    protected HttpClient CookieClient(string cookieHeader)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Add("Cookie", cookieHeader);
        return http;
    }

    private static async Task KeepScreenshotAsync(IPage page)
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{TestContext.CurrentContext.Test.Name}.png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            TestContext.AddTestAttachment(file, $"the page when the test failed ({page.Url})");
        }
        catch (PlaywrightException e)
        {
            // The failure is already reported; a page that cannot be captured (closed, crashed) only loses this picture.
            await TestContext.Out.WriteLineAsync($"No screenshot of {page.Url}: {e.Message}");
        }
    }
}
