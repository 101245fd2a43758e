using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Host.Cli;
using PluginHost.Host.Configuration;
using PluginHost.Host.Data;
using PluginHost.Host.Hosting;
using PluginHost.Host.Logging;
using PluginHost.Host.Modules;
using PluginHost.Sdk;

namespace PluginHost.Host;

/// <summary>The <c>host</c> executable: parse flags, boot, serve until stopped. Exit code 2 for bad usage, 1 for a failed start.</summary>
public static class HostCommand
{
    /// <summary>Runs the command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        CommandLine commandLine;
        ServerOptions options;
        Microsoft.Extensions.Configuration.IConfiguration configuration;
        try
        {
            commandLine = CommandLine.Parse(args);
            if (commandLine.Help)
            {
                Console.Out.Write(CommandLine.HelpText());
                return 0;
            }

            configuration = HostConfiguration.Build(commandLine.ConfigFile, commandLine.Overrides, Environment.GetEnvironmentVariables());
            options = ServerOptions.From(configuration, DefaultAddonsPath(),
                commandLine.Command is null ? ServerOptions.DefaultDbWaitSeconds : ServerOptions.DefaultCommandDbWaitSeconds);
            if (commandLine.Command is not null)
            {
                // A command works on what is installed: nothing server-wide is started or installed.
                options = options with { ServerWideModules = [], StopAfterInit = true, CreateDatabase = false };
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("host: " + e.Message);
            return 2;
        }

        using var loggerFactory = CreateLoggerFactory(options);
        var logger = loggerFactory.CreateLogger("PluginHost");
        logger.LogInformation("PluginHost starting: database {Database} on {Host}:{Port}", options.Database, options.DbHost, options.DbPort);
        try
        {
            await using var booted = await HostBootstrap.BootAsync(options, configuration, loggerFactory);
            if (commandLine.Command is { } name)
            {
                var command = booted.Host.Services.GetServices<IAddonCommand>().FirstOrDefault(c => c.Name == name);
                if (command is null)
                {
                    var known = booted.Host.Services.GetServices<IAddonCommand>().Select(c => $"{c.Name} ({c.Summary})");
                    await Console.Error.WriteLineAsync($"host: unknown command '{name}'. Commands of the installed addons: {string.Join(", ", known)}.");
                    return 2;
                }

                return await command.RunAsync(commandLine.CommandArgs, booted.Database, Console.Out);
            }

            if (options.StopAfterInit)
            {
                logger.LogInformation("stopping after init");
                return 0;
            }

            await booted.Host.RunAsync();
            return 0;
        }
        catch (NpgsqlException e)
        {
            logger.LogCritical("cannot use PostgreSQL at {Host}:{Port} as {User} (--db-host, --db-port, --db-user, --db-password): {Message}",
                options.DbHost, options.DbPort, options.DbUser ?? Environment.UserName, e.Message);
            return 1;
        }
        catch (ArgumentException e)
        {
            // A usage or configuration error found while booting (an addon's section, such as queue_job's channels).
            logger.LogCritical("{Message}", e.Message);
            return 2;
        }
        catch (Exception e) when (e is AddonGraphException or AddonLoadException or DataFileException or StaleDatabaseException or HostStartException)
        {
            logger.LogCritical("{Message}", e.Message);
            return 1;
        }
    }

    /// <summary>The repository's <c>addons/</c> folder when running from a build of the repository, else <c>./addons</c>.</summary>
    private static string DefaultAddonsPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PluginHost.sln")))
            {
                return Path.Combine(folder.FullName, "addons");
            }
        }

        return Path.GetFullPath("addons");
    }

    private static ILoggerFactory CreateLoggerFactory(ServerOptions options) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(options.LogLevel)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Npgsql", LogLevel.Warning)
        // Npgsql logs the close of every broken connection as an error with its stack trace, a burst of them when the
        // server goes away; the loops using the connections report a lost connection themselves, once per interval.
        .AddFilter("Npgsql.Connection", LogLevel.Critical)
        // Session keys are stored unencrypted in the database, by design; do not warn about it on every start.
        .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
        .AddConsole(console =>
        {
            console.FormatterName = OdooLogFormatter.FormatterName;
            // Logs go to stderr, as Odoo's; stdout stays for what commands print.
            console.LogToStandardErrorThreshold = LogLevel.Trace;
        })
        .AddConsoleFormatter<OdooLogFormatter, OdooLogFormatterOptions>(formatter => formatter.Database = options.Database));
}
