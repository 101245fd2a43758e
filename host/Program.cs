using PluginHost.Host;

return await HostCommand.RunAsync(args);
