namespace MS2GAN.ServiceDefaults;

/// <summary>Tags that decide which health endpoint runs a health check.</summary>
public static class HealthCheckTags
{
    /// <summary>
    /// Checks tagged <c>ready</c> run on <c>/health/ready</c>: the broker and every store the service
    /// needs before it can take traffic. Stores register theirs with this tag.
    /// </summary>
    public const string Ready = "ready";
}
