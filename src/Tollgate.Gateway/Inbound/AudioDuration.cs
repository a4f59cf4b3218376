using System.Buffers.Binary;

namespace Tollgate.Gateway.Inbound;

/// <summary>
/// The length of an audio file from its own headers, without decoding it: WAV (the <c>fmt</c> byte rate and the
/// <c>data</c> size), MP3 (its frames, each with its own bit rate and sample rate) and OpenAI's raw PCM (24 kHz,
/// 16-bit, mono). Seconds are rounded to the millisecond.
/// </summary>
internal static class AudioDuration
{
    private static readonly int[] Mpeg1Layer3Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] Mpeg2Layer3Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];
    private static readonly int[] Mpeg1Rates = [44_100, 48_000, 32_000, 0];

    /// <summary>The seconds of <paramref name="audio"/> in <paramref name="format"/> (<c>wav</c>, <c>mp3</c>, <c>pcm</c>); false when it cannot be read.</summary>
    public static bool TryMeasure(ReadOnlySpan<byte> audio, string format, out decimal seconds)
    {
        seconds = 0m;
        return format switch
        {
            "wav" => TryWav(audio, out seconds),
            "mp3" => TryMp3(audio, out seconds),
            "pcm" => TryPcm(audio, out seconds),
            _ => false,
        };
    }

    private static bool TryPcm(ReadOnlySpan<byte> audio, out decimal seconds)
    {
        seconds = Math.Round(audio.Length / 48_000m, 3);
        return audio.Length > 0;
    }

    private static bool TryWav(ReadOnlySpan<byte> audio, out decimal seconds)
    {
        seconds = 0m;
        if (audio.Length < 12 || !audio[..4].SequenceEqual("RIFF"u8) || !audio.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return false;
        }

        uint byteRate = 0;
        var at = 12;
        while (at + 8 <= audio.Length)
        {
            var id = audio.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(audio.Slice(at + 4, 4));
            if (id.SequenceEqual("fmt "u8) && size >= 16 && at + 20 <= audio.Length)
            {
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(audio.Slice(at + 16, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                // A streamed WAV may carry 0xFFFFFFFF as its size: what is there is what counts.
                var bytes = Math.Min(size, (uint)(audio.Length - at - 8));
                if (byteRate == 0)
                {
                    return false;
                }

                seconds = Math.Round((decimal)bytes / byteRate, 3);
                return true;
            }

            at += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - at);
        }

        return false;
    }

    private static bool TryMp3(ReadOnlySpan<byte> audio, out decimal seconds)
    {
        seconds = 0m;
        var at = SkipId3(audio);
        var total = 0m;
        var frames = 0;
        while (at + 4 <= audio.Length)
        {
            var h = BinaryPrimitives.ReadUInt32BigEndian(audio.Slice(at, 4));
            if ((h & 0xFFE00000) != 0xFFE00000 || ((h >> 17) & 3) != 1)
            {
                break;
            }

            var version = (h >> 19) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
            var kbps = version == 3 ? Mpeg1Layer3Kbps[(h >> 12) & 15] : Mpeg2Layer3Kbps[(h >> 12) & 15];
            var rate = Mpeg1Rates[(h >> 10) & 3] / (version == 3 ? 1 : version == 2 ? 2 : 4);
            if (kbps == 0 || rate == 0 || version == 1)
            {
                break;
            }

            var samples = version == 3 ? 1152 : 576;
            var length = (samples / 8 * kbps * 1000 / rate) + (int)((h >> 9) & 1);
            total += (decimal)samples / rate;
            frames++;
            at += length;
        }

        seconds = Math.Round(total, 3);
        return frames > 0;
    }

    private static int SkipId3(ReadOnlySpan<byte> audio)
    {
        if (audio.Length < 10 || !audio[..3].SequenceEqual("ID3"u8))
        {
            return 0;
        }

        // The tag's size is four 7-bit bytes.
        return 10 + ((audio[6] & 0x7F) << 21 | (audio[7] & 0x7F) << 14 | (audio[8] & 0x7F) << 7 | (audio[9] & 0x7F));
    }
}
