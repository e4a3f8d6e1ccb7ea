using HcsLicensing.Console.SuiteApis;

namespace HcsLicensing.Console.Components.Pages;

/// <summary>One line of the Clusters page: the inventory's cluster and, if an operation has touched it, its summary.</summary>
public sealed record ClusterRow(
    string Name, string Type, string Version, string? SmartAccountDomain, string? VirtualAccount, string? RegistrationState,
    bool OperationRunning, string? CurrentStep, LastJob? LastJob)
{
    /// <summary>CHPA's inventory says where the cluster is registered as last read from it; ClusterAssign adds what runs and the last job.</summary>
    public static ClusterRow From(InventoryCluster cluster, ClusterSummary? summary) => new(
        cluster.Name,
        cluster.Type,
        cluster.Version,
        summary?.SmartAccountDomain ?? cluster.SmartAccountDomain,
        summary is { LastJob: not null } ? summary.VirtualAccount : cluster.VirtualAccount,
        summary?.RegistrationState ?? cluster.RegistrationState,
        summary?.OperationRunning ?? false,
        summary?.CurrentStep,
        summary?.LastJob);
}

/// <summary>Reads every page of the two lists (500 a page, the APIs' largest).</summary>
public static class ClusterPages
{
    public static async Task<List<InventoryCluster>> InventoryAsync(ChpaApi chpa, CancellationToken cancellationToken)
    {
        var all = new List<InventoryCluster>();
        for (var page = 1; ; page++)
        {
            var answer = await chpa.InventoryAsync(page, cancellationToken);
            all.AddRange(answer.Items);
            if (answer.Items.Count == 0 || all.Count >= answer.TotalCount)
            {
                return all;
            }
        }
    }

    public static async Task<List<ClusterSummary>> SummaryAsync(ClusterAssignApi clusterAssign, CancellationToken cancellationToken)
    {
        var all = new List<ClusterSummary>();
        for (var page = 1; ; page++)
        {
            var answer = await clusterAssign.SummaryAsync(page, cancellationToken);
            all.AddRange(answer.Items);
            if (answer.Items.Count == 0 || all.Count >= answer.TotalCount)
            {
                return all;
            }
        }
    }
}
