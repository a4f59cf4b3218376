// The official `openai` npm client against a real gateway in front of the emulator, beyond chat: images, speech,
// transcription (a file upload), moderations and embeddings on a Gemini deployment, each with its cost in the
// ledger computed by hand from the catalog, and the same keys' scopes and budgets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { MASTER_KEY, PROVIDER_SECRETS, Recorder, client, ledgerEntries, startStack, stopStack } from './harness.js';

// Prices from the built-in catalog (the LiteLLM community layer for the first four, the seed for the last three):
//   openai/dall-e-2            512x512 0.0179830784 per image
//   openai/tts-1               0.000015 per input character
//   openai/gpt-4o-mini-tts     0.00025 per second of output audio
//   openai/whisper-1           0.0001 per second of input audio
//   openai/gpt-image-1         input 5.00, output 40.00 USD per 1M tokens
//   openai/omni-moderation-latest  free
//   gemini/gemini-embedding-001    input 0.15 USD per 1M tokens

let stack;
const seen = new Recorder();
let openai;
// Gateway request id -> the cost its ledger entry must carry.
const expected = new Map();

before(async () => {
  stack = await startStack({ anthropicAndGemini: true });
  openai = client(stack, { seen });
});

after(async () => {
  await stopStack(stack);
});

/** A silent 24 kHz 16-bit mono WAV of `seconds`. */
function wav(seconds) {
  const data = Math.round(seconds * 24000) * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(24000, 24);
  b.writeUInt32LE(48000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('images_DallE2TwoAt512_PngsAndTwiceTheSizesPrice', async () => {
  const { data, response } = await openai.images.generate({ model: 'dall-e-2', prompt: 'a toll gate', n: 2, size: '512x512', response_format: 'b64_json' }).withResponse();

  assert.equal(data.data.length, 2);
  for (const image of data.data) {
    assert.deepEqual(Buffer.from(image.b64_json, 'base64').subarray(0, 8), PNG_SIGNATURE);
  }
  // 2 x 0.0179830784
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.0359661568, endpoint: 'images', model: 'openai/dall-e-2' });
});

test('images_GptImage1_SettledByItsTokenUsage', async () => {
  // 20 characters -> 5 input tokens; one high 1024x1024 image -> 4,160 output tokens.
  const { data, response } = await openai.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse at dusk' }).withResponse();

  assert.equal(data.usage.input_tokens, 5);
  assert.equal(data.usage.output_tokens, 4160);
  // 5 x 5.00 + 4160 x 40.00 = 166,425 USD per 1M
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.166425, endpoint: 'images', model: 'openai/gpt-image-1' });
});

test('imageEdits_DallE2TwoAt512WithAnUploadedImage_PngsAndTwiceTheSizesPrice', async () => {
  const image = await toFile(Buffer.concat([PNG_SIGNATURE, Buffer.alloc(2048, 7)]), 'gate.png', { type: 'image/png' });
  const { data, response } = await openai.images.edit({ image, prompt: 'paint the gate red', model: 'dall-e-2', n: 2, size: '512x512', response_format: 'b64_json' }).withResponse();

  assert.equal(data.data.length, 2);
  assert.deepEqual(Buffer.from(data.data[0].b64_json, 'base64').subarray(0, 8), PNG_SIGNATURE);
  // 2 x 0.0179830784, as for a generation
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.0359661568, endpoint: 'images', model: 'openai/dall-e-2' });
});

test('speech_Tts1_Mp3BytesPricedPerCharacter', async () => {
  const { data, response } = await openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello from the toll gate.' }).withResponse();

  const audio = Buffer.from(await data.arrayBuffer());
  assert.equal(response.headers.get('content-type'), 'audio/mpeg');
  assert.deepEqual([...audio.subarray(0, 2)], [0xff, 0xfb]);
  // 25 characters x 0.000015
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.000375, endpoint: 'speech', model: 'openai/tts-1' });
});

test('speech_GptMiniTtsWav_PricedPerSecondOfAudio', async () => {
  // 40 characters at the emulator's 0.05 s a character: a 2 s WAV, 2 x 0.00025.
  const { data, response } = await openai.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'nova', input: 'forty characters of text for the speech.', response_format: 'wav' }).withResponse();

  const audio = Buffer.from(await data.arrayBuffer());
  assert.equal(audio.subarray(0, 4).toString('ascii'), 'RIFF');
  assert.equal(audio.length, 44 + 96000);
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.0005, endpoint: 'speech', model: 'openai/gpt-4o-mini-tts' });
});

test('transcriptions_WhisperVerboseJsonWithAFile_DurationAndPerSecondCost', async () => {
  // A 2.5 s WAV: verbose_json's duration 2.5 x 0.0001.
  const file = await toFile(wav(2.5), 'speech.wav', { type: 'audio/wav' });
  const { data, response } = await openai.audio.transcriptions.create({ file, model: 'whisper-1', response_format: 'verbose_json' }).withResponse();

  assert.equal(data.duration, 2.5);
  assert.match(data.text, /^Transcript of speech\.wav: 120044 bytes/);
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.00025, endpoint: 'transcriptions', model: 'openai/whisper-1' });
});

test('moderations_OmniModeration_FlaggedAndFree', async () => {
  const { data, response } = await openai.moderations.create({ model: 'omni-moderation-latest', input: ['I will kill the stuck process', 'a calm sentence'] }).withResponse();

  assert.equal(data.results.length, 2);
  assert.equal(data.results[0].flagged, true);
  assert.equal(data.results[0].categories.violence, true);
  assert.equal(data.results[1].flagged, false);
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0, endpoint: 'moderations', model: 'openai/omni-moderation-latest' });
});

test('embeddings_GeminiDeployment_TranslatedAndPriced', async () => {
  // The client asks for base64 by default and decodes it. "hello world" is 2 tokens, "hello" 1: 3 x 0.15 per 1M.
  const { data, response } = await openai.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['hello world', 'hello'], dimensions: 32 }).withResponse();

  assert.equal(data.data.length, 2);
  assert.equal(data.data[0].embedding.length, 32);
  const norm = Math.sqrt(data.data[0].embedding.reduce((s, v) => s + v * v, 0));
  assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
  assert.equal(data.usage.prompt_tokens, 3);
  assert.equal(data.usage.cost, 0.00000045);
  expected.set(response.headers.get('x-tollgate-request-id'), { cost: 0.00000045, endpoint: 'embeddings', model: 'gemini/gemini-embedding-001' });
});

async function createKey(body) {
  const res = await fetch(`${stack.rootURL}/v1/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${MASTER_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).data.key;
}

test('keys_BudgetBelowTheImagesWorstCase_429BeforeSending', async () => {
  const key = await createKey({ limit: { retention: 'month', threshold: 0.05 } });
  const budgeted = client(stack, { apiKey: key, seen });

  // Three 512x512 dall-e-2 images may cost 3 x 0.0179830784 = 0.0539492352 > 0.05.
  await assert.rejects(
    budgeted.images.generate({ model: 'dall-e-2', prompt: 'three gates', n: 3, size: '512x512' }),
    (err) => err instanceof OpenAI.RateLimitError && err.status === 429 && err.code === 'insufficient_quota',
  );
  // Two fit (0.0359661568).
  const ok = await budgeted.images.generate({ model: 'dall-e-2', prompt: 'two gates', n: 2, size: '512x512' });
  assert.equal(ok.data.length, 2);
});

test('keys_WithoutTheAudioScope_403', async () => {
  const key = await createKey({ scopes: ['model:image', 'model:embedding'] });
  const scoped = client(stack, { apiKey: key, seen });

  await assert.rejects(
    scoped.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }),
    (err) => err instanceof OpenAI.PermissionDeniedError && /model:audio/.test(err.message),
  );
  const file = await toFile(wav(0.5), 'a.wav', { type: 'audio/wav' });
  await assert.rejects(
    scoped.audio.transcriptions.create({ file, model: 'whisper-1' }),
    (err) => err instanceof OpenAI.PermissionDeniedError,
  );
  await assert.rejects(
    scoped.moderations.create({ model: 'omni-moderation-latest', input: 'hi' }),
    (err) => err instanceof OpenAI.PermissionDeniedError && /model:moderation/.test(err.message),
  );
});

test('ledger_EveryModalityEntryCarriesItsHandComputedCost', async () => {
  const entries = await ledgerEntries(stack, [...expected.keys()]);
  assert.equal(expected.size, 8);
  for (const [id, want] of expected) {
    const entry = entries.get(id);
    assert.equal(entry.endpoint, want.endpoint, id);
    assert.equal(entry.model, want.model, id);
    assert.equal(entry.status, 200, id);
    assert.equal(entry.cost, want.cost, `${want.model}: ${entry.cost} != ${want.cost}`);
  }
});

test('secrets_NoProviderKeyInAnyResponse', async () => {
  const texts = (await seen.texts()).join('\n');
  for (const secret of PROVIDER_SECRETS) {
    assert.ok(!texts.includes(secret), 'a provider key reached a client');
  }
  for (const secret of PROVIDER_SECRETS) {
    assert.ok(!stack.gateway.log.includes(secret), 'a provider key reached the gateway log');
  }
});
