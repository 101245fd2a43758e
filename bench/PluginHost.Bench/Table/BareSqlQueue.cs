using Npgsql;

namespace PluginHost.Bench.Table;

/// <summary>
/// The PostgreSQL ceiling of a queue: a bare table, claimed with <c>FOR UPDATE SKIP LOCKED</c> in one autocommitted
/// statement and marked done in a second one, by clients looping on prepared statements.
/// </summary>
internal static class BareSqlQueue
{
    private const string CreateTable = """
        CREATE TABLE bare_job (
            id bigserial PRIMARY KEY,
            state text NOT NULL,
            payload jsonb,
            date_created timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX bare_job_pending ON bare_job (id) WHERE state = 'pending';
        """;

    private const string Fill = """
        INSERT INTO bare_job (state, payload)
        SELECT 'pending', '{"method": "noop", "args": []}'::jsonb
        FROM generate_series(1, $1::integer)
        """;

    private const string Claim = """
        UPDATE bare_job
        SET state = 'running'
        WHERE id = ANY (ARRAY(
            SELECT id
            FROM bare_job
            WHERE state = 'pending'
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED))
        RETURNING id
        """;

    private const string ClaimOne = """
        UPDATE bare_job
        SET state = 'running'
        WHERE id = (
            SELECT id
            FROM bare_job
            WHERE state = 'pending'
            ORDER BY id
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    private const string Done = """
        UPDATE bare_job
        SET state = 'done'
        WHERE id = ANY ($1)
        """;

    private const string DoneOne = """
        UPDATE bare_job
        SET state = 'done'
        WHERE id = $1
        """;

    /// <summary>Creates the table with <paramref name="jobs"/> pending rows.</summary>
    public static async Task CreateAsync(string database, int jobs)
    {
        await using var connection = await BenchCluster.OpenAsync(database);
        await BenchCluster.ExecuteAsync(connection, CreateTable);
        await BenchCluster.ExecuteAsync(connection, Fill, jobs);
    }

    /// <summary>Runs <paramref name="clients"/> connections claiming <paramref name="perClaim"/> rows at a time until none is left.</summary>
    public static Task DrainAsync(string database, int clients, int perClaim) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => WorkAsync(database, perClaim))));

    public static async Task CheckAllDoneAsync(string database, int jobs)
    {
        await using var connection = await BenchCluster.OpenAsync(database);
        var done = await BenchCluster.ScalarAsync<long>(connection, "SELECT count(*) FROM bare_job WHERE state = 'done'");
        if (done != jobs)
        {
            throw new InvalidOperationException($"bare SQL queue: {done} of {jobs} jobs done");
        }
    }

    private static async Task WorkAsync(string database, int perClaim)
    {
        await using var connection = await BenchCluster.OpenAsync(database, maxAutoPrepare: 10);
        await using var claim = BenchCluster.Command(connection, perClaim == 1 ? ClaimOne : Claim);
        if (perClaim > 1)
        {
            claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = perClaim });
        }

        await using var done = BenchCluster.Command(connection, perClaim == 1 ? DoneOne : Done);
        done.Parameters.Add(perClaim == 1 ? new NpgsqlParameter<long>() : new NpgsqlParameter<long[]>());
        await claim.PrepareAsync();
        await done.PrepareAsync();
        while (await ClaimAsync(claim) is { Count: > 0 } ids)
        {
            if (perClaim == 1)
            {
                ((NpgsqlParameter<long>)done.Parameters[0]).TypedValue = ids[0];
            }
            else
            {
                ((NpgsqlParameter<long[]>)done.Parameters[0]).TypedValue = ids.ToArray();
            }

            await done.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<long>> ClaimAsync(NpgsqlCommand claim)
    {
        var ids = new List<long>();
        await using var reader = await claim.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
