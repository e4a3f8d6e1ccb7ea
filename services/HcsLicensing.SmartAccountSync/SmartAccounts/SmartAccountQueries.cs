using HcsLicensing.SmartAccountSync.Data;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>Reads smart accounts as the summary shows them: with their VA counts and their last sync.</summary>
public static class SmartAccountQueries
{
    public static async Task<SmartAccountDto?> FindAsync(SmartAccountSyncDbContext db, Guid id, CancellationToken cancellationToken) =>
        (await ProjectAsync(db, db.SmartAccounts.AsNoTracking().Where(a => a.Id == id), cancellationToken)).SingleOrDefault();

    public static async Task<IReadOnlyList<SmartAccountDto>> ProjectAsync(SmartAccountSyncDbContext db, IQueryable<SmartAccount> accounts, CancellationToken cancellationToken)
    {
        var rows = await accounts.Select(a => new
        {
            Account = a,
            VirtualAccounts = db.VirtualAccounts.Count(v => v.SmartAccountId == a.Id && v.RemovedAt == null),
            LastSync = db.SyncRuns.Where(r => r.SmartAccountId == a.Id).OrderByDescending(r => r.StartedAt).FirstOrDefault(),
        }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new SmartAccountDto(
            r.Account.Id,
            r.Account.Domain,
            r.Account.Name,
            r.Account.AccountType,
            r.Account.ClientId,
            r.Account.ConfiguredAt,
            r.VirtualAccounts,
            r.Account.SatelliteVirtualAccounts.Count,
            r.Account.LastSyncedAt,
            r.LastSync is null ? null : SyncDto.From(r.LastSync)))];
    }

    /// <summary>Makes a user's filter text literal inside ILIKE (no wildcards of its own).</summary>
    public static string EscapeLike(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
