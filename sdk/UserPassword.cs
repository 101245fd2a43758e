using System.Security.Cryptography;

namespace PluginHost.Sdk;

/// <summary>Hashes and checks <c>res_users.password</c> values (PBKDF2-SHA256, salted, self-describing).</summary>
public static class UserPassword
{
    private const int Iterations = 100_000;
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>A storable hash of <paramref name="password"/>: <c>pbkdf2-sha256$iterations$salt$hash</c>.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="password"/> matches the stored hash.</summary>
    public static bool Verify(string password, string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterations, var salt, var hash] || !int.TryParse(iterations, out var count))
        {
            return false;
        }

        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(salt), count, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
