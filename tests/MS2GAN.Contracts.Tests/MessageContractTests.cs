using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using MS2GAN.Contracts;

namespace MS2GAN.Contracts.Tests;

/// <summary>
/// Checks every message of the contracts library by reflection, so a message added later is covered
/// without touching these tests.
/// </summary>
public sealed class MessageContractTests
{
    // What MassTransit 8's System.Text.Json serializer sets (SystemTextJsonMessageSerializer.Options).
    private static readonly JsonSerializerOptions MassTransitLikeOptions = new()
    {
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TheoryData<Type> MessageTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in Messages())
        {
            data.Add(type);
        }
        return data;
    }

    [Fact]
    public void The_library_holds_the_messages_of_the_pipeline_and_one_shape_for_ingested_items()
    {
        Assert.Superset(
            new HashSet<string> { "IngestedItem", "ItemsIngested", "ItemIndexed", "ItemIndexingFailed", "ItemDeleted", "ModelPromoted", "RetrainModel" },
            Messages().Select(type => type.Name).ToHashSet());
        Assert.DoesNotContain("ItemIngested", Messages().Select(type => type.Name));
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Every_message_is_a_sealed_record_in_a_namespace(Type type)
    {
        Assert.StartsWith("MS2GAN.Contracts", type.Namespace ?? "", StringComparison.Ordinal);
        Assert.True(type.IsSealed, $"{type.Name} should be sealed");
        // The compiler gives records (and only records) a clone method by this name.
        Assert.NotNull(type.GetMethod("<Clone>$"));
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void No_message_carries_bytes(Type type)
    {
        Type[] forbidden = [typeof(byte[]), typeof(ReadOnlyMemory<byte>), typeof(Memory<byte>), typeof(Stream)];

        foreach (var property in type.GetProperties())
        {
            Assert.DoesNotContain(property.PropertyType, forbidden.Where(t => t.IsAssignableFrom(property.PropertyType)));
        }
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Every_message_round_trips_through_system_text_json(Type type)
    {
        foreach (var withNulls in new[] { false, true })
        {
            var message = Sample(type, withNulls);

            var json = JsonSerializer.Serialize(message, type, MassTransitLikeOptions);
            var back = JsonSerializer.Deserialize(json, type, MassTransitLikeOptions);

            Assert.NotNull(back);
            Assert.Equal(json, JsonSerializer.Serialize(back, type, MassTransitLikeOptions));
            foreach (var property in type.GetProperties())
            {
                AssertSameValue(property.GetValue(message), property.GetValue(back), $"{type.Name}.{property.Name}");
            }
        }
    }

    private static IEnumerable<Type> Messages() =>
        typeof(ItemsIngested).Assembly.GetExportedTypes()
            .Where(type => type.IsClass && !(type.IsAbstract && type.IsSealed)) // static classes hold constants, not messages
            .OrderBy(type => type.Name, StringComparer.Ordinal);

    private static object Sample(Type type, bool withNulls)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new NullabilityInfoContext();
        var arguments = constructor.GetParameters()
            .Select(parameter => withNulls && nullability.Create(parameter).WriteState == NullabilityState.Nullable
                ? null
                : SampleValue(parameter.ParameterType, parameter.Name!))
            .ToArray();
        return constructor.Invoke(arguments);
    }

    private static object SampleValue(Type type, string name)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(string) => $"sample {name} \u00e9\u00e8 \"quoted\"",
            _ when underlying == typeof(bool) => true,
            _ when underlying == typeof(int) => 42,
            _ when underlying == typeof(long) => 1L << 40,
            _ when underlying == typeof(double) => 0.1,
            _ when underlying == typeof(float) => 0.1f,
            _ when underlying == typeof(Guid) => Guid.Parse("0193a2f0-0000-7000-8000-000000000001"),
            _ when underlying == typeof(DateTimeOffset) => new DateTimeOffset(2025, 3, 1, 12, 34, 56, 789, TimeSpan.FromHours(2)).AddTicks(1234),
            _ when underlying == typeof(TimeSpan) => TimeSpan.FromSeconds(90.5),
            _ when underlying.IsEnum => Enum.GetValues(underlying).GetValue(Enum.GetValues(underlying).Length - 1)!,
            _ when underlying.IsAssignableFrom(typeof(List<string>)) => new List<string> { "image", name },
            // A batch message: a list of other messages of the library (ItemsIngested).
            _ when underlying.IsGenericType && underlying.GetGenericArguments() is [var element]
                && element.Namespace == typeof(ItemsIngested).Namespace
                && underlying.IsAssignableFrom(typeof(List<>).MakeGenericType(element)) => SampleList(element),
            _ when underlying.IsAssignableFrom(typeof(Dictionary<string, string>)) => new Dictionary<string, string> { ["k"] = name },
            _ => throw new NotSupportedException(
                $"No sample value for {type} (parameter {name}); add one to {nameof(MessageContractTests)}.{nameof(SampleValue)}."),
        };
    }

    private static IList SampleList(Type element)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        list.Add(Sample(element, withNulls: false));
        list.Add(Sample(element, withNulls: false));
        return list;
    }

    private static void AssertSameValue(object? expected, object? actual, string what)
    {
        if (expected is IEnumerable expectedItems and not string)
        {
            Assert.True(actual is IEnumerable, $"{what} came back as {actual?.GetType()}");
            Assert.Equal(expectedItems.Cast<object>(), ((IEnumerable)actual!).Cast<object>());
            return;
        }
        if (expected is DateTimeOffset expectedTime)
        {
            // Same instant and same offset: the offset is part of what the sender meant.
            var actualTime = Assert.IsType<DateTimeOffset>(actual);
            Assert.Equal((expectedTime.UtcTicks, expectedTime.Offset), (actualTime.UtcTicks, actualTime.Offset));
            return;
        }
        Assert.True(Equals(expected, actual), $"{what}: sent {expected}, received {actual}");
    }
}
