using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MS2GAN.Features.Onnx;

/// <summary>
/// Float memory on the host for the inputs or outputs of one session, allocated by ONNX Runtime: page-locked
/// (CUDA pinned) memory when the session runs on CUDA, so that the copies to and from the device are direct
/// transfers rather than staged through a driver buffer, and ONNX Runtime's CPU allocator (64-byte aligned)
/// otherwise. Batches of any size up to <see cref="Length"/> are handed to a run as <see cref="View"/>s of
/// the same memory, so nothing is allocated or copied per run. Not thread-safe: one writer at a time.
/// </summary>
public sealed unsafe class HostBuffer : IDisposable
{
    private readonly OrtValue _storage;
    private readonly OrtMemoryInfo _location;
    private readonly OrtAllocator? _pinnedAllocator;
    private readonly float* _data;
    private bool _disposed;

    private HostBuffer(OrtValue storage, OrtMemoryInfo location, OrtAllocator? pinnedAllocator, int length)
    {
        _storage = storage;
        _location = location;
        _pinnedAllocator = pinnedAllocator;
        Length = length;
        fixed (float* data = storage.GetTensorMutableDataAsSpan<float>())
        {
            // The OrtValue owns native memory that never moves: the address stays valid until it is disposed.
            _data = data;
        }
    }

    /// <summary>
    /// Allocates <paramref name="length"/> floats for runs of <paramref name="session"/>: pinned for a CUDA session
    /// (ordinary host memory if the provider cannot give pinned memory: ONNX Runtime then stages the copies itself).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public static HostBuffer Allocate(OnnxSession session, int length)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (session.IsCuda)
        {
            var pinned = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, session.DeviceId, OrtMemType.CpuOutput);
            OrtAllocator? allocator = null;
            try
            {
                allocator = new OrtAllocator(session.Session, pinned);
                var storage = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, [length]);
                return new HostBuffer(storage, pinned, allocator, length);
            }
            catch (OnnxRuntimeException)
            {
                allocator?.Dispose();
                pinned.Dispose();
            }
        }
        var memory = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [length]);
        return new HostBuffer(memory, OrtMemoryInfo.DefaultInstance, null, length);
    }

    /// <summary>Number of floats held.</summary>
    public int Length { get; }

    /// <summary>Whether the memory is page-locked for CUDA transfers.</summary>
    public bool IsPinned => _pinnedAllocator is not null;

    /// <summary>The memory, to write inputs into or read outputs from between runs.</summary>
    public Span<float> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new Span<float>(_data, Length);
        }
    }

    /// <summary>
    /// A tensor of <paramref name="shape"/> over the start of this memory, for one run's input or output. The
    /// view does not own the memory; dispose it after the run, and this buffer after every view.
    /// </summary>
    /// <exception cref="ArgumentException">The shape holds more values than the buffer.</exception>
    public OrtValue View(params long[] shape)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(shape);
        var count = 1L;
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            count *= dim;
        }
        if (count > Length)
        {
            throw new ArgumentException($"a tensor of shape [{string.Join(", ", shape)}] needs {count} values; the buffer holds {Length}", nameof(shape));
        }
        return OrtValue.CreateTensorValueWithData(_location, TensorElementType.Float, shape, (IntPtr)_data, count * sizeof(float));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _storage.Dispose();
        if (_pinnedAllocator is not null)
        {
            _pinnedAllocator.Dispose();
            _location.Dispose();
        }
    }
}
