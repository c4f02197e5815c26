using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Options;
using MS2GAN.Features.Data;
using MS2GAN.Host.Cli;
using MS2GAN.Model;
using RabbitMQ.Client.Exceptions;

namespace MS2GAN.Host.Serve;

/// <summary>
/// What a failed start of `ms2gan serve` tells its caller: bad input (a setting or a model folder that cannot be used) is
/// the user's to fix, a broker or server that does not answer is the environment's, anything else is a failure.
/// </summary>
public static class StartupFailure
{
    /// <summary>The exit code for <paramref name="error"/> and the line printed after "error: ".</summary>
    public static (int ExitCode, string Message) Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var chain = Chain(error).ToList();
        if (chain.FirstOrDefault(ex => ex is BrokerUnreachableException or RabbitMqConnectionException or SocketException
                or ConnectFailureException or TimeoutException) is { } unreachable)
        {
            return (CliRunner.Unreachable, $"a server the services need could not be reached ({unreachable.Message}); check that it runs and the Messaging or Elasticsearch settings");
        }
        if (chain.Any(ex => ex is OptionsValidationException or ConfigException or DataFormatException or InvalidDataException or ArgumentException))
        {
            return (CliRunner.BadInput, error.Message);
        }
        return (CliRunner.Failure, error.Message);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
