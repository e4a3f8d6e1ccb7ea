namespace HcsLicensing.Chpa.UcApplications;

/// <summary>A UC application version as major.minor, read from forms like "12.5" or "12.5.1.11900-146".</summary>
public readonly record struct UcVersion(int Major, int Minor) : IComparable<UcVersion>
{
    /// <summary>The oldest version Smart Licensing through HCM-F supports.</summary>
    public static readonly UcVersion SmartLicensingMinimum = new(12, 5);

    public static bool TryParse(string? text, out UcVersion version)
    {
        version = default;
        var parts = text?.Trim().Split('.', '-') ?? [];
        if (parts.Length < 2 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor) || major < 0 || minor < 0)
        {
            return false;
        }

        version = new UcVersion(major, minor);
        return true;
    }

    public int CompareTo(UcVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(UcVersion left, UcVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(UcVersion left, UcVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(UcVersion left, UcVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(UcVersion left, UcVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Major}.{Minor}";
}
