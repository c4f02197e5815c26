using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MS2GAN.Integration.Tests;

/// <summary>
/// Adds registrations to an application that builds itself (<c>ServeApplication.Build</c> returns it built).
/// It listens for the "HostBuilding" event every host writes to the "Microsoft.Extensions.Hosting"
/// DiagnosticListener just before its service provider is made, the hook WebApplicationFactory uses for
/// ConfigureTestServices. The registrations apply only to a host built inside <see cref="Build"/>, on its
/// flow of execution, so other hosts built at the same time are left alone.
/// </summary>
public sealed class HostServicesHook : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private static readonly AsyncLocal<Action<IServiceCollection>?> Pending = new();
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new HostServicesHook()));

    private readonly List<IDisposable> _listeners = [];

    private HostServicesHook()
    {
    }

    /// <summary>Runs <paramref name="build"/> with <paramref name="configureServices"/> applied to the host it builds.</summary>
    public static WebApplication Build(Func<WebApplication> build, Action<IServiceCollection>? configureServices)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (configureServices is null)
        {
            return build();
        }
        _ = Subscription.Value;
        Pending.Value = configureServices;
        try
        {
            return build();
        }
        finally
        {
            Pending.Value = null;
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.Extensions.Hosting")
        {
            lock (_listeners)
            {
                _listeners.Add(value.Subscribe(this));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        // Written synchronously on the thread that builds the host, so Pending is the builder's own.
        if (value.Key == "HostBuilding" && value.Value is IHostBuilder builder && Pending.Value is { } configure)
        {
            Pending.Value = null;
            builder.ConfigureServices((_, services) => configure(services));
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }
}
