namespace MS2GAN.Integration.Tests.Faults;

/// <summary>One fault case's figures, as the README's table shows them.</summary>
public sealed record FaultRow(string Fault, int Sent, int Acknowledged, int Indexed, int Lost, int Duplicated, string Recovery)
{
    public const string Header = "| fault | sent | acknowledged | indexed | lost | duplicated | recovery |\n|---|---|---|---|---|---|---|";

    public override string ToString() => $"| {Fault} | {Sent:N0} | {Acknowledged:N0} | {Indexed:N0} | {Lost} | {Duplicated} | {Recovery} |";

    /// <summary>Appends the row to artifacts/faults/results.md (the fault-suite script prints that file).</summary>
    public void Save()
    {
        var folder = Path.Combine(Environment.GetEnvironmentVariable("MS2GAN_FAULT_RESULTS") ?? Path.GetTempPath(), "faults");
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "results.md"), ToString() + Environment.NewLine);
    }
}
