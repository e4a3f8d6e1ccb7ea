using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HcsLicensing.ClusterAssign.Data;

/// <summary>Lets dotnet-ef build the model (migrations add, script) without starting the service or reaching a database.</summary>
public sealed class DesignTimeClusterAssignDbContextFactory : IDesignTimeDbContextFactory<ClusterAssignDbContext>
{
    public ClusterAssignDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ClusterAssignDbContext>()
            .UseNpgsql("Host=localhost;Port=5432;Database=hcs_clusterassign;Username=postgres")
            .Options);
}
