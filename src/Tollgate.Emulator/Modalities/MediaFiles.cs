using System.Buffers.Binary;
using System.Text;

namespace Tollgate.Emulator.Modalities;

/// <summary>
/// The emulator's media, built byte by byte so every file is valid and the same on every run: a 1x1 PNG, silent WAV,
/// MP3 (MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, mono) and raw PCM of a given length.
/// </summary>
internal static class MediaFiles
{
    /// <summary>Sample rate of the WAV and PCM files (OpenAI's PCM: 24 kHz, 16-bit, mono).</summary>
    public const int SampleRate = 24_000;

    /// <summary>Samples of one MP3 frame.</summary>
    public const int Mp3FrameSamples = 1152;

    /// <summary>Sample rate of the MP3 files.</summary>
    public const int Mp3SampleRate = 44_100;

    /// <summary>Bytes of one 128 kbit/s, 44.1 kHz frame without padding: 144 x 128000 / 44100.</summary>
    public const int Mp3FrameBytes = 417;

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A 1x1 opaque teal PNG.</summary>
    public static byte[] Png { get; } = BuildPng();

    /// <summary>A silent 16-bit mono WAV of <paramref name="samples"/> samples at <see cref="SampleRate"/>.</summary>
    public static byte[] Wav(int samples)
    {
        var data = samples * 2;
        var wav = new byte[44 + data];
        var s = wav.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + data));
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], 1); // mono
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], SampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], 16);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)data);
        return wav;
    }

    /// <summary>Raw 16-bit mono PCM of <paramref name="samples"/> samples of silence.</summary>
    public static byte[] Pcm(int samples) => new byte[samples * 2];

    /// <summary><paramref name="frames"/> silent MP3 frames (a header, zero side information, zero main data each).</summary>
    public static byte[] Mp3(int frames)
    {
        var mp3 = new byte[frames * Mp3FrameBytes];
        for (var i = 0; i < frames; i++)
        {
            // Sync, MPEG-1, Layer III, no CRC; 128 kbit/s, 44.1 kHz, no padding; mono.
            mp3[i * Mp3FrameBytes] = 0xFF;
            mp3[(i * Mp3FrameBytes) + 1] = 0xFB;
            mp3[(i * Mp3FrameBytes) + 2] = 0x90;
            mp3[(i * Mp3FrameBytes) + 3] = 0xC0;
        }

        return mp3;
    }

    /// <summary>The length in seconds of a WAV file's data, or null when it is not a WAV file this can read.</summary>
    public static decimal? WavSeconds(ReadOnlySpan<byte> file)
    {
        if (file.Length < 44 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8) || !file.Slice(36, 4).SequenceEqual("data"u8))
        {
            return null;
        }

        var byteRate = BinaryPrimitives.ReadUInt32LittleEndian(file[28..]);
        var data = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file[40..]), (uint)(file.Length - 44));
        return byteRate == 0 ? null : Math.Round((decimal)data / byteRate, 3);
    }

    private static byte[] BuildPng()
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 1);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour RGB
        Chunk(png, "IHDR", header);

        // One scanline: filter 0, then R G B; a zlib stream of one stored deflate block.
        byte[] raw = [0, 0x00, 0x80, 0x80];
        var zlib = new byte[2 + 5 + raw.Length + 4];
        zlib[0] = 0x78;
        zlib[1] = 0x01;
        zlib[2] = 0x01; // final, stored
        BinaryPrimitives.WriteUInt16LittleEndian(zlib.AsSpan(3), (ushort)raw.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(zlib.AsSpan(5), (ushort)~raw.Length);
        raw.CopyTo(zlib, 7);
        BinaryPrimitives.WriteUInt32BigEndian(zlib.AsSpan(7 + raw.Length), Adler32(raw));
        Chunk(png, "IDAT", zlib);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(MemoryStream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var x in data)
        {
            crc = CrcTable[(crc ^ x) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
