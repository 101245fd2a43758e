using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PluginHost.Tests.Support;

/// <summary>
/// A local port relaying to the test run's PostgreSQL server, standing for a server that is not up yet or goes away:
/// nothing listens on <see cref="Port"/> until <see cref="Start"/>, and <see cref="Cut"/> closes it and every connection
/// relayed so far, as a server that went down (<see cref="Start"/> again brings it back on the same port).
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly Lock _lock = new();
    private readonly List<Socket> _sockets = [];
    private TcpListener? _listener;

    public TcpForwarder()
    {
        var server = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString);
        (_targetHost, _targetPort) = (server.Host ?? "localhost", server.Port);
    }

    /// <summary>The local port (on 127.0.0.1) the host is pointed at.</summary>
    public int Port { get; } = TestDatabase.FreePort();

    /// <summary>Listens on <see cref="Port"/> and relays every connection to the server.</summary>
    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        // The port of the connections a cut closed is in TIME_WAIT; listening on it again is allowed.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        lock (_lock)
        {
            _listener = listener;
        }

        _ = AcceptAsync(listener);
    }

    /// <summary>Stops listening and closes every relayed connection, both ways.</summary>
    public void Cut()
    {
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var socket in _sockets)
            {
                socket.Close();
            }

            _sockets.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = RelayAsync(listener, client);
        }
    }

    private async Task RelayAsync(TcpListener listener, Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        lock (_lock)
        {
            if (_listener != listener)
            {
                // Accepted just before a cut: closed with the others.
                client.Close();
                server.Dispose();
                return;
            }

            _sockets.AddRange([client, server]);
        }

        try
        {
            await server.ConnectAsync(_targetHost, _targetPort);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Cut, or the server went away: the other side is closed below.
        }
        finally
        {
            lock (_lock)
            {
                _sockets.Remove(client);
                _sockets.Remove(server);
            }

            client.Close();
            server.Close();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        try
        {
            await using var input = new NetworkStream(from, ownsSocket: false);
            await using var output = new NetworkStream(to, ownsSocket: false);
            await input.CopyToAsync(output);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // One side closed: the relay ends.
        }
    }
}
