using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MS2GAN.ServiceDefaults;
using MS2GAN.Features.Backbones;
using MS2GAN.Features.Onnx;
using MS2GAN.Model.Inference;
using MS2GAN.Model.Registry;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Items.Elasticsearch;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;
using MS2GAN.Storage.Vectors.Elasticsearch;

namespace MS2GAN.Pipeline;

/// <summary>Registrations of the stores and the active model, shared by the services and the all-in-one host.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The embedded stores under Pipeline:DataDirectory: SQLite items, a media folder, the embedded vector store;
    /// with a readiness check ("stores") that they answer. Once per process: a second call (another service of the same
    /// host) finds them registered and adds nothing.
    /// </summary>
    public static IServiceCollection AddMs2GanStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(IVectorStore)))
        {
            return services;
        }
        services.AddPipelineOptions(configuration);
        var pipeline = configuration.GetSection(PipelineOptions.Section);
        if (pipeline.GetValue(nameof(PipelineOptions.ItemStore), ItemStoreKind.Sqlite) == ItemStoreKind.Elasticsearch)
        {
            services.AddElasticsearchClient(configuration);
            services.AddSingleton(sp =>
            {
                var settings = sp.GetRequiredService<IOptions<ElasticsearchSettings>>().Value;
                return new ElasticsearchItemStore(
                    sp.GetRequiredService<ElasticsearchClient>(),
                    new ElasticsearchItemStoreOptions { Refresh = settings.Refresh, BatchSize = settings.BatchSize },
                    sp.GetRequiredService<ILogger<ElasticsearchItemStore>>());
            });
            services.AddSingleton<IItemStore>(sp => sp.GetRequiredService<ElasticsearchItemStore>());
        }
        else
        {
            services.AddSingleton<IItemStore>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
                Directory.CreateDirectory(options.DataDirectory);
                return new SqliteItemStore(Path.Combine(options.DataDirectory, "items.db"));
            });
        }
        services.AddSingleton<IMediaStore>(sp => new FileMediaStore(new FileMediaStoreOptions
        {
            RootPath = Path.Combine(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.DataDirectory, "media"),
        }));
        if (pipeline.GetValue(nameof(PipelineOptions.Store), VectorStoreKind.Embedded) == VectorStoreKind.Elasticsearch)
        {
            services.AddElasticsearchVectorStore(configuration);
        }
        else
        {
            services.AddSingleton<IVectorStore>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
                return new EmbeddedVectorStore(
                    new EmbeddedVectorStoreOptions { RootDirectory = Path.Combine(options.DataDirectory, "vectors"), Mode = options.VectorSearch },
                    sp.GetRequiredService<ILogger<EmbeddedVectorStore>>());
            });
        }
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("stores", tags: [HealthCheckTags.Ready]);
        return services;
    }

    /// <summary>
    /// The Elasticsearch vector store (Pipeline:Store = Elasticsearch) on the shared client, with the index template
    /// applied in the background at start-up.
    /// </summary>
    public static IServiceCollection AddElasticsearchVectorStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddElasticsearchClient(configuration);
        services.AddSingleton(sp => new ElasticsearchVectorStore(
            sp.GetRequiredService<ElasticsearchClient>(),
            sp.GetRequiredService<IOptions<ElasticsearchSettings>>().Value.ToStoreOptions(),
            sp.GetRequiredService<ILogger<ElasticsearchVectorStore>>()));
        services.AddSingleton<IVectorStore>(sp => sp.GetRequiredService<ElasticsearchVectorStore>());
        return services;
    }

    /// <summary>
    /// The official client for Elasticsearch:Url with basic or API-key authentication (validated at start), shared by
    /// the Elasticsearch stores, and the start-up task that prepares their templates and indexes. Idempotent.
    /// </summary>
    public static IServiceCollection AddElasticsearchClient(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ElasticsearchClient)))
        {
            return services;
        }
        services.AddOptions<ElasticsearchSettings>().Bind(configuration.GetSection(ElasticsearchSettings.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticsearchSettings>, ElasticsearchSettingsValidator>());
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ElasticsearchSettings>>().Value;
            var client = new ElasticsearchClientSettings(new Uri(settings.Url!)).RequestTimeout(TimeSpan.FromSeconds(30));
            if (!string.IsNullOrEmpty(settings.ApiKey))
            {
                client = client.Authentication(new ApiKey(settings.ApiKey));
            }
            else if (!string.IsNullOrEmpty(settings.Username))
            {
                client = client.Authentication(new BasicAuthentication(settings.Username, settings.Password ?? ""));
            }
            if (!string.IsNullOrEmpty(settings.CertificateFingerprint))
            {
                client = client.CertificateFingerprint(settings.CertificateFingerprint);
            }
            return new ElasticsearchClient(client);
        });
        services.AddHostedService<ElasticsearchTemplateInitializer>();
        return services;
    }

    /// <summary>
    /// The ONNX session factory, the backbones (loaded on first use), the model registry (Pipeline:ModelRegistry) and the
    /// catalog of served versions, seeded with Pipeline:ModelDirectory when the registry has no active model. Once per
    /// process, as <see cref="AddMs2GanStorage"/>.
    /// </summary>
    public static IServiceCollection AddMs2GanModel(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ModelCatalog)))
        {
            return services;
        }
        services.AddPipelineOptions(configuration);
        services.AddSingleton(sp => new OnnxSessionFactory(
            new OnnxRuntimeOptions { Preference = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.OnnxProvider },
            sp.GetRequiredService<ILogger<OnnxSessionFactory>>()));
        services.AddSingleton(sp => new BackboneSet(sp.GetRequiredService<OnnxSessionFactory>()));
        services.TryAddSingleton(sp => new ModelRegistry(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.RegistryDirectory));
        services.AddSingleton<ItemVectorizer>();
        services.AddSingleton(sp => new ModelCatalog(
            sp.GetRequiredService<ModelRegistry>(),
            sp.GetRequiredService<OnnxSessionFactory>(),
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ModelDirectory,
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// The active model's feature space, read from the model registry without loading the model (for services that check
    /// features but encode none, such as ingest).
    /// </summary>
    public static IServiceCollection AddActiveFeatureSpace(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPipelineOptions(configuration);
        services.TryAddSingleton(sp => new ModelRegistry(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.RegistryDirectory));
        services.TryAddSingleton<ActiveFeatureSpace>();
        return services;
    }

    private static void AddPipelineOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(PipelineOptionsMarker)))
        {
            return;
        }
        services.AddSingleton<PipelineOptionsMarker>();
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.Section))
            .Validate(o => !o.Problems().Any(), $"invalid {PipelineOptions.Section} settings: DataDirectory must name a folder")
            .ValidateOnStart();
    }

    private sealed class PipelineOptionsMarker;
}
