using MS2GAN.Host.Cli;

return await CommandLine.Build().Parse(args).InvokeAsync();
