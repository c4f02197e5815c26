using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;

namespace MS2GAN.Features.Tests.Onnx;

public sealed class HostBufferTests
{
    private static readonly OnnxSessionFactory Cpu = new(new OnnxRuntimeOptions { Preference = ExecutionPreference.Cpu, IntraOpThreads = 1 });

    [Fact]
    public void A_view_sees_what_was_written_through_the_span_without_a_copy()
    {
        using var session = Cpu.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
        using var buffer = HostBuffer.Allocate(session, 12);
        for (var i = 0; i < 12; i++)
        {
            buffer.Span[i] = i * 1.5f;
        }

        using var view = buffer.View(2, 3);
        var seen = view.GetTensorDataAsSpan<float>();

        Assert.False(buffer.IsPinned);
        Assert.Equal([2L, 3L], view.GetTensorTypeAndShape().Shape);
        Assert.Equal([0f, 1.5f, 3f, 4.5f, 6f, 7.5f], seen.ToArray());
        buffer.Span[1] = -1f;
        Assert.Equal(-1f, view.GetTensorDataAsSpan<float>()[1]);
    }

    [Fact]
    public void A_view_larger_than_the_buffer_is_refused()
    {
        using var session = Cpu.Create(Path.Combine(BackboneFiles.DefaultDirectory, BackboneFiles.ResNetPreprocess));
        using var buffer = HostBuffer.Allocate(session, 12);

        var error = Assert.Throws<ArgumentException>(() => buffer.View(2, 7));

        Assert.Contains("needs 14 values; the buffer holds 12", error.Message);
    }
}
