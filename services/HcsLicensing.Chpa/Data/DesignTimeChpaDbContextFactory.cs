using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HcsLicensing.Chpa.Data;

/// <summary>Lets dotnet-ef build the model (migrations add, script) without starting the service or reaching a database.</summary>
public sealed class DesignTimeChpaDbContextFactory : IDesignTimeDbContextFactory<ChpaDbContext>
{
    public ChpaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ChpaDbContext>()
            .UseNpgsql("Host=localhost;Port=5432;Database=hcs_chpa;Username=postgres")
            .Options);
}
