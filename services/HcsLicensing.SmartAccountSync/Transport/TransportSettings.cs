namespace HcsLicensing.SmartAccountSync.Transport;

/// <summary>
/// HCM-F's transport settings towards CSSM, the default route: one row (id 1) once an operator changed them. Smart
/// accounts without settings of their own (<see cref="SmartAccountTransportSettings"/>) take this route.
/// </summary>
public sealed class TransportSettings : TransportRouteSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
}
