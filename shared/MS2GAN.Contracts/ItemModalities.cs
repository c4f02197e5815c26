namespace MS2GAN.Contracts;

/// <summary>
/// The modality names used in messages (for example <see cref="ItemIndexed.Modalities"/>) and in the
/// HTTP APIs. Every message of this library lives in the <c>MS2GAN.Contracts</c> namespace, which
/// MassTransit requires and uses in the message type names on the wire: renaming or moving a message is
/// a breaking change for running services.
/// </summary>
public static class ItemModalities
{
    /// <summary>The image modality.</summary>
    public const string Image = "image";

    /// <summary>The text modality.</summary>
    public const string Text = "text";
}
