using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.Identity.Data;

/// <summary>The issuer's database: OpenIddict's applications (clients), authorizations, scopes and tokens.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.UseOpenIddict();
}
