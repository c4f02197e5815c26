namespace MS2GAN.WebPage.Tests;

/// <summary>
/// A fact that drives the Debian chromium through its chromedriver (infra/scripts/test.sh installs both); skipped,
/// saying why, where they are absent.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            Skip = $"needs {Browser} and {Driver} (apt-get install chromium chromium-driver; infra/scripts/test.sh does it as root)";
        }
    }
}
