using Microsoft.Extensions.Logging;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Onnx;

/// <summary>
/// What a service does at start, in a process of its own so that its real stderr can be read: an ONNX session
/// factory with the Auto preference loads the batched ResNet18 backbone and one more model, and its log goes to
/// stdout as <c>level: message</c> lines. Run by <see cref="SessionStartOutputTests"/> as
/// <c>dotnet MS2GAN.Features.Tests.dll start-sessions</c>.
/// </summary>
internal static class SessionStart
{
    public const string Verb = "start-sessions";

    public static int Run()
    {
        var factory = new OnnxSessionFactory(logger: new StdoutLogger());
        using var backbone = new ResNet18Backbone(factory);
        using var other = factory.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
        Console.Out.WriteLine($"provider: {backbone.Provider}");
        return 0;
    }

    private sealed class StdoutLogger : ILogger<OnnxSessionFactory>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.Out.WriteLine($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
