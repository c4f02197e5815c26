using MS2GAN.Features.Backbones;

namespace MS2GAN.Benchmarks;

/// <summary>One column of the image profile: milliseconds per image in each stage of <see cref="ImageStageTimes"/>.</summary>
internal sealed record StageRow(long Images, long Batches, double DecodeMs, double DrawMs, double ConvertMs, double SessionMs, double CopyMs, double WaitMs)
{
    public static StageRow Of(ImageStageTimes times)
    {
        double Ms(TimeSpan t) => t.TotalMilliseconds / Math.Max(1, times.Images);
        return new StageRow(times.Images, times.Batches, Ms(times.Decoding), Ms(times.Drawing), Ms(times.Converting), Ms(times.Session),
            Ms(times.Copying), Ms(times.Waiting));
    }

    public static void Print(StageRow single, StageRow batched, double bareMs, int batch)
    {
        Console.WriteLine($"  where an image's time goes, ms per image (median round): one at a time | batches of {batch}, next one prepared during the run");
        foreach (var (stage, a, b) in new[]
                 {
                     ("decode", single.DecodeMs, batched.DecodeMs), ("draw", single.DrawMs, batched.DrawMs),
                     ("convert", single.ConvertMs, batched.ConvertMs), ("session", single.SessionMs, batched.SessionMs),
                     ("copy out", single.CopyMs, batched.CopyMs), ("wait for preparation", single.WaitMs, batched.WaitMs),
                 })
        {
            Console.WriteLine($"    {stage,-22} {a,8:F3} | {b,8:F3}");
        }
        Console.WriteLine($"    bare ResNet18 sessions (batch 1, prepared frames): {bareMs:F3} ms per image");
    }
}
