using System.Globalization;

namespace MS2GAN.Integration.Tests.Faults;

/// <summary>
/// How big a fault run is: the short form by default (CI), the full form from infra/scripts/fault-suite.sh
/// (MS2GAN_FAULT_ITEMS=20000, MS2GAN_FAULT_KILLS=5).
/// </summary>
public static class FaultSize
{
    public static int Items => Read("MS2GAN_FAULT_ITEMS", 2000);

    public static int Kills => Read("MS2GAN_FAULT_KILLS", 2);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
