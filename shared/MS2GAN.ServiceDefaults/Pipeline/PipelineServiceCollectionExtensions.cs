using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Inference;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.ServiceDefaults.Pipeline;

/// <summary>Registrations of the stores and the active model, shared by the services and the all-in-one host.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The embedded stores under Pipeline:DataDirectory: SQLite items, a media folder, the embedded vector store;
    /// with a readiness check ("stores") that they answer.
    /// </summary>
    public static IServiceCollection AddMs2GanStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPipelineOptions(configuration, needsModel: false);
        services.AddSingleton<IItemStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectory);
            return new SqliteItemStore(Path.Combine(options.DataDirectory, "items.db"));
        });
        services.AddSingleton<IMediaStore>(sp => new FileMediaStore(new FileMediaStoreOptions
        {
            RootPath = Path.Combine(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.DataDirectory, "media"),
        }));
        services.AddSingleton<IVectorStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new EmbeddedVectorStore(
                new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(options.DataDirectory, "vectors"), Mode = options.VectorSearch },
                sp.GetRequiredService<ILogger<EmbeddedVectorStore>>());
        });
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("stores", tags: [HealthCheckTags.Ready]);
        return services;
    }

    /// <summary>The ONNX session factory, the backbones (loaded on first use) and the active model from Pipeline:ModelDirectory.</summary>
    public static IServiceCollection AddMs2GanModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPipelineOptions(configuration, needsModel: true);
        services.AddSingleton(sp => new OnnxSessionFactory(
            new OnnxRuntimeOptions { Preference = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.OnnxProvider },
            sp.GetRequiredService<ILogger<OnnxSessionFactory>>()));
        services.AddSingleton(sp => new BackboneSet(sp.GetRequiredService<OnnxSessionFactory>()));
        services.AddSingleton(sp => ActiveModel.Open(
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ModelDirectory!,
            sp.GetRequiredService<OnnxSessionFactory>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    private static void AddPipelineOptions(this IServiceCollection services, IConfiguration configuration, bool needsModel)
    {
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.Section))
            .Validate(o => !o.Problems(needsModel).Any(), $"invalid {PipelineOptions.Section} settings: DataDirectory is required, and ModelDirectory where a model is served")
            .ValidateOnStart();
    }
}
