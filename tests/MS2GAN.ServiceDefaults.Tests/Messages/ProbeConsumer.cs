using MassTransit;

namespace MS2GAN.ServiceDefaults.Tests.Messages;

/// <summary>Hands every <see cref="ProbeSent"/> to the <see cref="ProbeInbox"/>, failing first as often as it says.</summary>
public sealed class ProbeConsumer(ProbeInbox inbox) : IConsumer<ProbeSent>
{
    public Task Consume(ConsumeContext<ProbeSent> context)
    {
        inbox.Attempt();
        if (inbox.ShouldFail())
        {
            throw new InvalidOperationException("a transient failure the retry policy must absorb");
        }

        inbox.Deliver(context.Message);
        return Task.CompletedTask;
    }
}
