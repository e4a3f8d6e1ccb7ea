using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HcsLicensing.SmartAccountSync.Data;

/// <summary>Lets dotnet-ef build the model (migrations add, script) without starting the service or reaching a database.</summary>
public sealed class DesignTimeSmartAccountSyncDbContextFactory : IDesignTimeDbContextFactory<SmartAccountSyncDbContext>
{
    public SmartAccountSyncDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SmartAccountSyncDbContext>()
            .UseNpgsql("Host=localhost;Port=5432;Database=hcs_smartaccountsync;Username=postgres")
            .Options);
}
