namespace MS2GAN.ServiceDefaults.Tests.Messages;

/// <summary>Where <see cref="ProbeConsumer"/> puts what it received; fails the first <c>failures</c> attempts.</summary>
public sealed class ProbeInbox(int failures = 0)
{
    private readonly TaskCompletionSource<ProbeSent> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public Task<ProbeSent> Received => _received.Task;

    public void Attempt() => Interlocked.Increment(ref _attempts);

    public bool ShouldFail() => Attempts <= failures;

    public void Deliver(ProbeSent message) => _received.TrySetResult(message);
}
