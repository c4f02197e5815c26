namespace MS2GAN.Features.Data;

/// <summary>
/// Loads a folder of paired features: <c>{split}_image.npy</c>, <c>{split}_text.npy</c> and
/// <c>{split}_labels.npy</c> for the splits <c>train</c> and <c>test</c>, plus an optional
/// <c>dataset.json</c>. Every check that fails is a <see cref="DataFormatException"/> naming the file.
/// </summary>
public static class FeatureDatasetLoader
{
    /// <summary>Loads and checks both splits and the dataset description.</summary>
    /// <param name="directory">The dataset folder.</param>
    /// <exception cref="DataFormatException">
    /// A file is missing or invalid, a split's files disagree on the row count, train and test feature
    /// dimensions differ, a value is NaN or infinite, a class below the largest training label has no
    /// training items, a test label is not a training class, or <c>dataset.json</c> names a different
    /// number of classes.
    /// </exception>
    public static FeatureDataset Load(string directory)
    {
        var train = LoadSplit(directory, "train");
        var test = LoadSplit(directory, "test");
        CheckSameColumns(directory, "image", train.Image, test.Image);
        CheckSameColumns(directory, "text", train.Text, test.Text);

        var trainLabelsPath = FilePath(directory, "train", "labels");
        var classCount = train.Labels.Max() + 1;
        CheckEveryClassHasItems(train.Labels, trainLabelsPath);
        CheckTestLabels(test.Labels, classCount, FilePath(directory, "test", "labels"));

        var info = DatasetInfo.Load(directory);
        if (info.ClassNames is { } names && names.Count != classCount)
        {
            throw new DataFormatException(Path.Combine(directory, DatasetInfo.FileName),
                $"lists {names.Count} class names but the training labels have {classCount} classes");
        }
        return new FeatureDataset(directory, train, test, classCount, info);
    }

    /// <summary>
    /// Loads and checks one split. Checks the files of the split alone (presence, format, matching
    /// row counts, no empty split, finite values); which classes it covers is checked by <see cref="Load"/>.
    /// </summary>
    /// <param name="directory">The dataset folder.</param>
    /// <param name="prefix">The split: <c>train</c> or <c>test</c> (any prefix of the file names works).</param>
    /// <exception cref="DataFormatException">The folder or a file is missing or invalid.</exception>
    public static FeatureSplit LoadSplit(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException(directory, "dataset folder not found");
        }
        var imagePath = FilePath(directory, prefix, "image");
        var textPath = FilePath(directory, prefix, "text");
        var labelsPath = FilePath(directory, prefix, "labels");

        var image = NpyReader.ReadMatrix(imagePath);
        var text = NpyReader.ReadMatrix(textPath);
        var labels = NpyReader.ReadLabels(labelsPath);

        CheckNotEmpty(image, imagePath);
        CheckNotEmpty(text, textPath);
        CheckSameRows(imagePath, image.Rows, labelsPath, labels.Length);
        CheckSameRows(textPath, text.Rows, labelsPath, labels.Length);
        CheckFinite(image, imagePath);
        CheckFinite(text, textPath);
        return new FeatureSplit(image, text, labels);
    }

    private static string FilePath(string directory, string prefix, string kind) =>
        Path.Combine(directory, $"{prefix}_{kind}.npy");

    private static void CheckNotEmpty(FeatureMatrix matrix, string path)
    {
        if (matrix.Rows == 0)
        {
            throw new DataFormatException(path, "has zero rows");
        }
        if (matrix.Columns == 0)
        {
            throw new DataFormatException(path, "has zero columns");
        }
    }

    private static void CheckSameRows(string path, int rows, string labelsPath, int labelCount)
    {
        if (rows != labelCount)
        {
            throw new DataFormatException(path,
                $"{Path.GetFileName(path)} has {rows} rows but {Path.GetFileName(labelsPath)} has {labelCount}");
        }
    }

    private static void CheckFinite(FeatureMatrix matrix, string path)
    {
        var values = matrix.Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                var what = float.IsNaN(values[i]) ? "NaN" : float.IsPositiveInfinity(values[i]) ? "+infinity" : "-infinity";
                throw new DataFormatException(path, $"row {i / matrix.Columns}, column {i % matrix.Columns} is {what}");
            }
        }
    }

    private static void CheckSameColumns(string directory, string kind, FeatureMatrix train, FeatureMatrix test)
    {
        if (train.Columns != test.Columns)
        {
            var testPath = FilePath(directory, "test", kind);
            throw new DataFormatException(testPath,
                $"{Path.GetFileName(testPath)} has {test.Columns} columns but train_{kind}.npy has {train.Columns}");
        }
    }

    private static void CheckEveryClassHasItems(int[] labels, string path)
    {
        // Sorting a copy finds the first gap without allocating one slot per possible label.
        var sorted = (int[])labels.Clone();
        Array.Sort(sorted);
        var expected = 0;
        foreach (var label in sorted)
        {
            if (label > expected)
            {
                throw new DataFormatException(path,
                    $"class {expected} has no training items (the labels go up to {sorted[^1]}, so classes must be 0..{sorted[^1]})");
            }
            if (label == expected)
            {
                expected++;
            }
        }
    }

    private static void CheckTestLabels(int[] labels, int classCount, string path)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
            {
                throw new DataFormatException(path,
                    $"row {i} has label {labels[i]}, but the training labels only cover classes 0..{classCount - 1}");
            }
        }
    }
}
