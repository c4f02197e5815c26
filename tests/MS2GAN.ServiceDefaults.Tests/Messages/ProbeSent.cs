namespace MS2GAN.ServiceDefaults.Tests.Messages;

/// <summary>A test event; MassTransit needs message types inside a namespace.</summary>
public sealed record ProbeSent(Guid Id, string Text);
