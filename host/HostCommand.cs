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
        CommandLine flags;
        CommandLine commandLine;
        ServerOptions options;
        Microsoft.Extensions.Configuration.IConfiguration configuration;
        AddonCommands commands;
        ILoggerFactory loggerFactory;
        try
        {
            // The host flags first: the configuration file and the addons path say where the addons' commands are.
            flags = CommandLine.ParseHostFlags(args);
            if (flags.IsBuiltInOnly)
            {
                // A command of host itself needs no configuration, no addon and no database: a broken configuration
                // file or a bad --db-port does not stop it (addons cannot declare its name, AddonCommands.Check).
                var builtIn = CommandLine.Parse(args);
                return builtIn.AnswersItself ? builtIn.Answer(Console.Out) : await builtIn.RunBuiltInAsync(Console.Out, Console.Error);
            }

            configuration = HostConfiguration.Build(flags.ConfigFile, flags.Overrides, Environment.GetEnvironmentVariables());
            options = ServerOptions.From(configuration, DefaultAddonsPath());
            loggerFactory = CreateLoggerFactory(options);
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync($"{e.CommandPath}: {e.Message}");
            return 2;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("host: " + e.Message);
            return 2;
        }

        using var disposeLoggers = loggerFactory;
        var logger = loggerFactory.CreateLogger("PluginHost");
        try
        {
            commands = flags.NeedsAddonCommands
                ? AddonCommands.Load(AddonCatalog.Discover(options.AddonsPath), logger)
                : AddonCommands.None;
            commandLine = CommandLine.Parse(args, commands.Declared);
            if (commandLine.AnswersItself)
            {
                return commandLine.Answer(Console.Out);
            }

            if (commandLine.Command is not null)
            {
                // A command works on what is installed: nothing server-wide is started or installed.
                options = ServerOptions.From(configuration, DefaultAddonsPath(), ServerOptions.DefaultCommandDbWaitSeconds)
                    with { ServerWideModules = [], StopAfterInit = true, CreateDatabase = false };
            }
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync($"{e.CommandPath}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is AddonGraphException or AddonLoadException)
        {
            logger.LogCritical("{Message}", e.Message);
            return 1;
        }

        return await ServeOrRunAsync(commandLine, options, configuration, commands, loggerFactory, logger);
    }

    /// <summary>Boots the database, then runs the command, stops after init or serves until stopped.</summary>
    private static async Task<int> ServeOrRunAsync(CommandLine commandLine, ServerOptions options, Microsoft.Extensions.Configuration.IConfiguration configuration,
        AddonCommands commands, ILoggerFactory loggerFactory, ILogger logger)
    {
        logger.LogInformation("PluginHost starting: database {Database} on {Host}:{Port}", options.Database, options.DbHost, options.DbPort);
        try
        {
            await using var booted = await HostBootstrap.BootAsync(options, configuration, loggerFactory, commands.Loaded);
            if (commandLine.Command is not null)
            {
                if (booted.Addons.All(a => a.Name != commandLine.CommandAddon))
                {
                    logger.LogCritical("host {Command}: addon '{Addon}' declares this command but is not installed in database '{Database}'; install it with -i {Addon}",
                        commandLine.CommandPath, commandLine.CommandAddon, options.Database, commandLine.CommandAddon);
                    return 1;
                }

                return await AddonCommandRunner.RunAsync(commandLine, booted.Database, Console.Out, Console.Error);
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
