using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MS2GAN.TestSupport;

/// <summary>
/// Kestrel on a free loopback port for the tests that talk real HTTP to an application they build. A source file
/// linked into the test projects that use it (TestSupport itself does not reference ASP.NET Core).
/// </summary>
public static class LoopbackServer
{
    /// <summary>Starts <paramref name="app"/> on 127.0.0.1 with a port the system picks, and returns its address.</summary>
    public static async Task<Uri> StartOnLoopbackAsync(this WebApplication app)
    {
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }
}
