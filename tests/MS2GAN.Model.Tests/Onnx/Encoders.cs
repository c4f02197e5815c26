using MS2GAN.Features.Data;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Export;
using MS2GAN.Model.Inference;

namespace MS2GAN.Model.Tests.Onnx;

/// <summary>Opens exported encoders on the CPU provider and compares matrices.</summary>
internal static class Encoders
{
    /// <summary>
    /// CPU on every machine: the parity tolerance (1e-5) holds for float32 kernels, and the CUDA provider
    /// may run Gemm in TF32 on recent GPUs. Two threads, since the test models are tiny and tests run in parallel.
    /// </summary>
    public static OnnxSessionFactory Cpu { get; } =
        new(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu, IntraOpThreads = 2 });

    public static OnnxEncoder FromSpec(EncoderSpec spec, int maxRowsPerRun = OnnxEncoder.DefaultMaxRowsPerRun) =>
        new(Cpu.Create(OnnxExporter.ToBytes(spec), $"{spec.Modality}.onnx"), maxRowsPerRun: maxRowsPerRun);

    public static OnnxEncoder FromFile(string path) => OnnxEncoder.Open(path, Cpu);

    public static double MaxAbsDiff(FeatureMatrix expected, FeatureMatrix actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        var max = 0.0;
        for (var i = 0; i < expected.Values.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)expected.Values[i] - actual.Values[i]));
        }
        return max;
    }

    public static double RowNorm(FeatureMatrix matrix, int row)
    {
        var sum = 0.0;
        foreach (var v in matrix.Row(row))
        {
            sum += (double)v * v;
        }
        return Math.Sqrt(sum);
    }
}
