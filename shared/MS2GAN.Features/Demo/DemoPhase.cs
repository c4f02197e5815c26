namespace MS2GAN.Features.Demo;

/// <summary>The stages of generating a demo dataset, in order.</summary>
public enum DemoPhase
{
    /// <summary>Drawing the images and writing the captions.</summary>
    Drawing,

    /// <summary>Computing ResNet18 features of the images.</summary>
    EmbeddingImages,

    /// <summary>Computing MiniLM features of the captions.</summary>
    EmbeddingTexts,

    /// <summary>Writing the feature files and moving the dataset into place.</summary>
    Writing,
}
