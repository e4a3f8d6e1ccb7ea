namespace HcsLicensing.Console.SuiteApis;

/// <summary>A relative URL with the query parameters that have a value, escaped.</summary>
internal static class Query
{
    public static string Of(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!.Trim())}").ToList();
        return given.Count == 0 ? path : $"{path}?{string.Join('&', given)}";
    }

    public static string Segment(string value) => Uri.EscapeDataString(value);
}
