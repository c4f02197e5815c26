using MS2GAN.Features.Backbones;

namespace MS2GAN.Benchmarks;

/// <summary>One column of the image profile: milliseconds per image in each stage of <see cref="ImageStageTimes"/>.</summary>
/// <param name="WallMs">Wall time per image of the whole call (the MS2GAN encoder included): with several lanes, less than the stages' sum.</param>
internal sealed record StageRow(long Images, long Batches, double DecodeMs, double DrawMs, double ConvertMs, double SessionMs, double CopyMs, double WallMs)
{
    public static StageRow Of(ImageStageTimes times, double imagesPerSecond)
    {
        double Ms(TimeSpan t) => t.TotalMilliseconds / Math.Max(1, times.Images);
        return new StageRow(times.Images, times.Batches, Ms(times.Decoding), Ms(times.Drawing), Ms(times.Converting), Ms(times.Session),
            Ms(times.Copying), 1000 / imagesPerSecond);
    }

    public static void Print(StageRow single, StageRow batched, double bareMs, int batch)
    {
        Console.WriteLine($"  where an image's time goes, ms per image on the thread that ran each stage (median round): one at a time | batches of {batch} on the lanes");
        foreach (var (stage, a, b) in new[]
                 {
                     ("decode", single.DecodeMs, batched.DecodeMs), ("draw", single.DrawMs, batched.DrawMs),
                     ("convert", single.ConvertMs, batched.ConvertMs), ("session", single.SessionMs, batched.SessionMs),
                     ("copy out", single.CopyMs, batched.CopyMs), ("wall, whole call", single.WallMs, batched.WallMs),
                 })
        {
            Console.WriteLine($"    {stage,-22} {a,8:F3} | {b,8:F3}");
        }
        Console.WriteLine($"    bare ResNet18 sessions (batch 1, prepared frames): {bareMs:F3} ms per image");
    }
}
