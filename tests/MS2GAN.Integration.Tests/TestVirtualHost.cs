namespace MS2GAN.Integration.Tests;

/// <summary>A RabbitMQ virtual host a test runs in; deleted on dispose when the test made it.</summary>
public sealed class TestVirtualHost(string name, Func<Task>? delete) : IAsyncDisposable
{
    public string Name { get; } = name;

    public async ValueTask DisposeAsync()
    {
        if (delete is not null)
        {
            await delete();
        }
    }
}
