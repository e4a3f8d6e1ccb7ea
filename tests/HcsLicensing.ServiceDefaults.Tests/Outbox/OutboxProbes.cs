using HcsLicensing.ServiceDefaults.Tests.Support;
using MassTransit;

namespace HcsLicensing.ServiceDefaults.Tests.Outbox;

/// <summary>Asks <see cref="NoteWriter"/> to write a note and publish <see cref="NoteWritten"/>; with Fail, it then throws.</summary>
public sealed record WriteNote(Guid NoteId, string Text, bool Fail = false);

public sealed record NoteWritten(Guid NoteId);

/// <summary>
/// A consumer as the services write them: a state change (a note row) and a message about it; the outbox must commit
/// both or neither. It counts its runs, so a test sees whether a repeated message ran it again.
/// </summary>
public sealed class NoteWriter(TestDbContext db, NoteWriterRuns runs) : IConsumer<WriteNote>
{
    public async Task Consume(ConsumeContext<WriteNote> context)
    {
        runs.Add(context.Message.NoteId);
        db.Set<Note>().Add(new Note { Id = context.Message.NoteId, Text = context.Message.Text });
        await db.SaveChangesAsync(context.CancellationToken);
        await context.Publish(new NoteWritten(context.Message.NoteId), context.CancellationToken);
        if (context.Message.Fail)
        {
            throw new InvalidOperationException("the note writer failed after saving and publishing");
        }
    }
}

/// <summary>How many times <see cref="NoteWriter"/> ran for each note.</summary>
public sealed class NoteWriterRuns
{
    private readonly List<Guid> notes = [];

    public void Add(Guid noteId)
    {
        lock (notes)
        {
            notes.Add(noteId);
        }
    }

    public int Of(Guid noteId)
    {
        lock (notes)
        {
            return notes.Count(n => n == noteId);
        }
    }
}
