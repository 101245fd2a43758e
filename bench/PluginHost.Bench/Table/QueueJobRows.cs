using System.Data.Common;
using Npgsql;

namespace PluginHost.Bench.Table;

/// <summary>
/// Bare inserts into <c>queue_job</c> with the column values the delay API writes (captured from one real enqueue):
/// the backlogs, drains and expired jobs are filled by one <c>generate_series</c> statement, and the bare-SQL enqueue
/// rows use them.
/// </summary>
internal sealed record QueueJobRows(
    long? UserId, string? Name, string ModelName, string MethodName, string RecordIds, string Records, string Args,
    string Kwargs, string? FuncString, int MaxRetries, string Channel, string? ChannelMethodName, long? JobFunctionId,
    string Dependencies)
{
    public const string ReadTemplate = """
        SELECT user_id, name, model_name, method_name, record_ids::text, records::text, args::text,
               kwargs::text, func_string, max_retries, channel, channel_method_name, job_function_id,
               dependencies::text
        FROM queue_job
        WHERE uuid = $1
        """;

    private const string Columns = """
        uuid, user_id, name, model_name, method_name, record_ids, records, args, kwargs, func_string,
        priority, eta, max_retries, channel, channel_method_name, job_function_id, state, dependencies
        """;

    /// <summary>One pending job; $1 is its uuid.</summary>
    private const string InsertOne = $"""
        INSERT INTO queue_job ({Columns})
        VALUES ($1, $2::bigint, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10,
                $11::integer, $12::timestamptz, $13::integer, $14, $15, $16::bigint, 'pending', $17::jsonb)
        """;

    /// <summary>$1 pending jobs in one statement.</summary>
    private const string InsertSeries = $"""
        INSERT INTO queue_job ({Columns})
        SELECT gen_random_uuid()::text, $2::bigint, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10,
               $11::integer, $12::timestamptz, $13::integer, $14, $15, $16::bigint, 'pending', $17::jsonb
        FROM generate_series(1, $1::integer)
        """;

    /// <summary>$1 done jobs in one statement, created, started and done $18 (an interval) ago.</summary>
    private const string InsertDoneSeries = $"""
        INSERT INTO queue_job ({Columns}, date_created, date_started, date_done, exec_time)
        SELECT gen_random_uuid()::text, $2::bigint, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10,
               $11::integer, $12::timestamptz, $13::integer, $14, $15, $16::bigint, 'done', $17::jsonb,
               now() - $18::interval, now() - $18::interval, now() - $18::interval, 0.001
        FROM generate_series(1, $1::integer)
        """;

    public static QueueJobRows From(DbDataReader reader)
    {
        T? Get<T>(int i) => reader.IsDBNull(i) ? default : reader.GetFieldValue<T>(i);
        return new QueueJobRows(Get<long?>(0), Get<string>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.GetString(6), reader.GetString(7), Get<string>(8), reader.GetInt32(9), reader.GetString(10),
            Get<string>(11), Get<long?>(12), reader.GetString(13));
    }

    /// <summary>One single-row INSERT of a pending job, autocommitted (one transaction).</summary>
    public async Task InsertOneAsync(NpgsqlConnection connection, int priority, DateTime? eta)
    {
        await using var command = BenchCluster.Command(connection, InsertOne, Values(Guid.NewGuid().ToString(), priority, eta));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One multi-row INSERT of <paramref name="count"/> pending jobs, autocommitted.</summary>
    public async Task InsertManyAsync(NpgsqlConnection connection, int count, int priority, DateTime? eta = null)
    {
        await using var command = BenchCluster.Command(connection, InsertSeries, Values(count, priority, eta));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One multi-row INSERT of <paramref name="count"/> jobs done <paramref name="age"/> ago, autocommitted.</summary>
    public async Task InsertDoneAsync(NpgsqlConnection connection, int count, TimeSpan age)
    {
        await using var command = BenchCluster.Command(connection, InsertDoneSeries, [.. Values(count, priority: 10, eta: null), age]);
        await command.ExecuteNonQueryAsync();
    }

    private object?[] Values(object first, int priority, DateTime? eta) =>
    [
        first, UserId, Name, ModelName, MethodName, RecordIds, Records, Args, Kwargs, FuncString,
        priority, eta, MaxRetries, Channel, ChannelMethodName, JobFunctionId, Dependencies,
    ];
}
