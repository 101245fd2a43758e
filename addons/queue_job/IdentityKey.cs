using System.Security.Cryptography;
using System.Text;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// Keeps a second job from being stored while one with the same key is waiting, pending or enqueued: the
/// enqueue returns the existing job instead. A plain string is a key; <see cref="Exact"/> derives the key from
/// the model, method, record ids and arguments, as upstream's <c>identity_exact</c>.
/// </summary>
/// <example>
/// <code>
/// await partner.WithDelay(identityKey: IdentityKey.Exact).EnqueueAsync(p =&gt; p.SyncAsync());
/// await partner.WithDelay(identityKey: $"sync-{partner.Id}").EnqueueAsync(p =&gt; p.SyncAsync());
/// </code>
/// </example>
public sealed class IdentityKey
{
    private readonly string? _value;

    private IdentityKey(string? value) => _value = value;

    /// <summary>The key of the exact call: same model, method, ids and arguments.</summary>
    public static IdentityKey Exact { get; } = new(null);

    /// <summary>A fixed key.</summary>
    public static implicit operator IdentityKey(string value) =>
        new(string.IsNullOrEmpty(value) ? throw new ArgumentException("An identity key cannot be empty.", nameof(value)) : value);

    internal string Resolve(Model records, JobCall call)
    {
        if (_value is not null)
        {
            return _value;
        }

        var canonical = string.Join("\n", records.Info.Name, call.Method.Name, JobArguments.Serialize(records.Ids.Order()), JobArguments.Serialize(call.Arguments), "{}");
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The fixed key, or <c>exact</c>.</summary>
    public override string ToString() => _value ?? "exact";
}
