namespace HcsLicensing.AppHost;

/// <summary>The resources' names: what the dashboard lists, and the keys of the Ports section.</summary>
public static class Names
{
    public const string RabbitMq = "rabbitmq";
    public const string Postgres = "postgres";
    public const string Identity = "identity";
    public const string CssmSimulator = "cssm-simulator";
    public const string UcSimulator = "uc-simulator";
    public const string JobTracker = "jobtracker";
    public const string SmartAccountSync = "smartaccountsync";
    public const string Chpa = "chpa";
    public const string ClusterAssign = "clusterassign";
    public const string Console = "console";
}
