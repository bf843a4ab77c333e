// The initial weights are the same bits as the build before the fast init (nn_random's shortcuts,
// init_linears' skipped defaults and its memo): bench/init-bits.mjs's fingerprints — every
// scheme × seeds × shapes through normal_'s serial path, its tail block and whole blocks — must
// equal the table below, which that script printed for the tree's dist/ of 2026-12-01 17:47
// (core/nn_random.* and nn_init.* as at d1a6be0, before the change), in WebAssembly, where
// musl's log/sin/cos are what the native tests cannot see. Made twice: one init after another over all keys (always drawn), and every init of one
// key after another (the memo's rescaled draws). Then: alternating specs leave the heap as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lab } from './reference.mjs';
import { hashes } from '../../bench/init-bits.mjs';

const BEFORE = {
  'small/0/default': 'e1239630dd89cab6',
  'small/1/default': 'ddaf8f0c3c72d101',
  'small/42/default': '74d99ce499d5301a',
  'small/4294967297/default': 'ddaf8f0c3c72d101',
  'small-nobias/0/default': 'bc29eb2660efc040',
  'small-nobias/1/default': '446eac0e3dfbb760',
  'small-nobias/42/default': '36363be6eeaffe00',
  'small-nobias/4294967297/default': '446eac0e3dfbb760',
  'tails/0/default': 'dbcba967c562963a',
  'tails/1/default': '6fbc063be8bc95e3',
  'tails/42/default': 'c937bd67de39fb80',
  'tails/4294967297/default': '6fbc063be8bc95e3',
  'deep/0/default': '44a666d9605faa83',
  'deep/7/default': '470bbe3c4f6ef3f7',
  'small/0/xavier_uniform': '7e5d9a7ecb23bd4f',
  'small/1/xavier_uniform': '802014672bf64846',
  'small/42/xavier_uniform': '3d3c6e316e654540',
  'small/4294967297/xavier_uniform': '802014672bf64846',
  'small-nobias/0/xavier_uniform': '6f1fe43755dca865',
  'small-nobias/1/xavier_uniform': 'b7031ac83219b264',
  'small-nobias/42/xavier_uniform': '6a20ecfeaa55bb15',
  'small-nobias/4294967297/xavier_uniform': 'b7031ac83219b264',
  'tails/0/xavier_uniform': '243489ffd58976fe',
  'tails/1/xavier_uniform': '8d7e85a00b87a76d',
  'tails/42/xavier_uniform': 'c4595f8545f3f16d',
  'tails/4294967297/xavier_uniform': '8d7e85a00b87a76d',
  'deep/0/xavier_uniform': 'ec891481c2841ad1',
  'deep/7/xavier_uniform': '1b029e2396796fdc',
  'small/0/xavier_normal': 'f303a6e30c9769fc',
  'small/1/xavier_normal': '33c6eff40d683ff4',
  'small/42/xavier_normal': '38c022eb7389cac5',
  'small/4294967297/xavier_normal': '33c6eff40d683ff4',
  'small-nobias/0/xavier_normal': 'c63e118d947d44b6',
  'small-nobias/1/xavier_normal': '37b20da100f943c8',
  'small-nobias/42/xavier_normal': 'ac2599e8892bf4b9',
  'small-nobias/4294967297/xavier_normal': '37b20da100f943c8',
  'tails/0/xavier_normal': '6299557c05d5fa75',
  'tails/1/xavier_normal': '6002d38b2dd6bc41',
  'tails/42/xavier_normal': '60b00aec7a485823',
  'tails/4294967297/xavier_normal': '6002d38b2dd6bc41',
  'deep/0/xavier_normal': '25ab98ab3eb5eb97',
  'deep/7/xavier_normal': '633e0a8f37daa335',
  'small/0/kaiming_uniform': '62dc74b72cb10612',
  'small/1/kaiming_uniform': '8352f4ef90add60f',
  'small/42/kaiming_uniform': '423397e20e31a12e',
  'small/4294967297/kaiming_uniform': '8352f4ef90add60f',
  'small-nobias/0/kaiming_uniform': 'a2cf0a3fa4cb0194',
  'small-nobias/1/kaiming_uniform': 'b742313b2ad25c5a',
  'small-nobias/42/kaiming_uniform': '62af72d37ae26dfa',
  'small-nobias/4294967297/kaiming_uniform': 'b742313b2ad25c5a',
  'tails/0/kaiming_uniform': '8acec0a05aaaf035',
  'tails/1/kaiming_uniform': '1a80505646e01c9b',
  'tails/42/kaiming_uniform': '954e0b5f6e0e423a',
  'tails/4294967297/kaiming_uniform': '1a80505646e01c9b',
  'deep/0/kaiming_uniform': '7f8e83511b58cb32',
  'deep/7/kaiming_uniform': 'a10eefc3f6a42db3',
  'small/0/kaiming_normal': 'a60874c6b6f2b4ab',
  'small/1/kaiming_normal': '9377c8fddf56264b',
  'small/42/kaiming_normal': 'a066524dd296ac5b',
  'small/4294967297/kaiming_normal': '9377c8fddf56264b',
  'small-nobias/0/kaiming_normal': '9b2af78fc05b18a6',
  'small-nobias/1/kaiming_normal': 'b9de5be8e9473935',
  'small-nobias/42/kaiming_normal': '22c982623448730f',
  'small-nobias/4294967297/kaiming_normal': 'b9de5be8e9473935',
  'tails/0/kaiming_normal': 'c3ba5e38045437e9',
  'tails/1/kaiming_normal': 'abc257dfb643b266',
  'tails/42/kaiming_normal': '0ce8ec4826355291',
  'tails/4294967297/kaiming_normal': 'abc257dfb643b266',
  'deep/0/kaiming_normal': 'a10a2c670371e269',
  'deep/7/kaiming_normal': '52408bee3fe54d04',
  'small/0/normal': '43a71557cacf3f3d',
  'small/1/normal': '74642e57f8e0844b',
  'small/42/normal': 'fdb9491e90f766b0',
  'small/4294967297/normal': '74642e57f8e0844b',
  'small-nobias/0/normal': '37e02f1511becb12',
  'small-nobias/1/normal': '91b4d9860f3ea841',
  'small-nobias/42/normal': 'e2e5189e7f1d7407',
  'small-nobias/4294967297/normal': '91b4d9860f3ea841',
  'tails/0/normal': 'a1f3114a6ce11acd',
  'tails/1/normal': '17357ccacdb1e806',
  'tails/42/normal': 'd1957818de4ebe06',
  'tails/4294967297/normal': '17357ccacdb1e806',
  'deep/0/normal': '3c789b044605a79d',
  'deep/7/normal': 'fa820e4b2af076c6',
  'small/0/normal_wide': 'ab2dc5ffbc42adb1',
  'small/1/normal_wide': '03c4bab57d5a37b3',
  'small/42/normal_wide': '213f5f6b3e61d8c0',
  'small/4294967297/normal_wide': '03c4bab57d5a37b3',
  'small-nobias/0/normal_wide': 'fb51ad266e38b7e5',
  'small-nobias/1/normal_wide': 'af020c25374a55cf',
  'small-nobias/42/normal_wide': '329317c2fa8acf6d',
  'small-nobias/4294967297/normal_wide': 'af020c25374a55cf',
  'tails/0/normal_wide': '1e00bdfa45ea9cb9',
  'tails/1/normal_wide': '0eeec8210c69d5cf',
  'tails/42/normal_wide': 'eae51cf70bf3b06a',
  'tails/4294967297/normal_wide': '0eeec8210c69d5cf',
  'deep/0/normal_wide': 'b33f63df09d230bd',
  'deep/7/normal_wide': '14f15c1f5c31076d',
  'small/0/normal_mean': '84a51b87ded28bbd',
  'small/1/normal_mean': '6cb9d210fd8c9d26',
  'small/42/normal_mean': '90c72d467791f2d5',
  'small/4294967297/normal_mean': '6cb9d210fd8c9d26',
  'small-nobias/0/normal_mean': '994e7017de10264b',
  'small-nobias/1/normal_mean': '7f9190b54953525e',
  'small-nobias/42/normal_mean': '9c5cb59be86bcbc6',
  'small-nobias/4294967297/normal_mean': '7f9190b54953525e',
  'tails/0/normal_mean': '61bda3dbc4b96fff',
  'tails/1/normal_mean': '84cb237697d5cdc9',
  'tails/42/normal_mean': '6341ddeb68ecdbc3',
  'tails/4294967297/normal_mean': '84cb237697d5cdc9',
  'deep/0/normal_mean': '48b822af019f91ae',
  'deep/7/normal_mean': 'd931614e8bb0db2a',
  'small/0/uniform': '2e70ebfe9e506c6e',
  'small/1/uniform': 'bfcaadf9b2a55db4',
  'small/42/uniform': 'ab6546b7461dc158',
  'small/4294967297/uniform': 'bfcaadf9b2a55db4',
  'small-nobias/0/uniform': 'fa4a45ce82222853',
  'small-nobias/1/uniform': '148b4f3f124ef7d0',
  'small-nobias/42/uniform': 'c17922d8ebd2150c',
  'small-nobias/4294967297/uniform': '148b4f3f124ef7d0',
  'tails/0/uniform': '58d0809638b8f9b9',
  'tails/1/uniform': 'f81eebf86bf5fac4',
  'tails/42/uniform': '407a97db489ed81c',
  'tails/4294967297/uniform': 'f81eebf86bf5fac4',
  'deep/0/uniform': '84c069da52a7e9e7',
  'deep/7/uniform': '9828fa8ee4c55ee7',
  'small/0/uniform_01': '03751e527f734e27',
  'small/1/uniform_01': '7ce17ea0ecf22953',
  'small/42/uniform_01': '06c397873d08c00c',
  'small/4294967297/uniform_01': '7ce17ea0ecf22953',
  'small-nobias/0/uniform_01': 'f30b9178792142cb',
  'small-nobias/1/uniform_01': '21cfbe0be1316711',
  'small-nobias/42/uniform_01': '5e7862c2e2c5167a',
  'small-nobias/4294967297/uniform_01': '21cfbe0be1316711',
  'tails/0/uniform_01': '5fb00bad5018f7da',
  'tails/1/uniform_01': '6c0761717ed94e89',
  'tails/42/uniform_01': '75d84be38f7aff83',
  'tails/4294967297/uniform_01': '6c0761717ed94e89',
  'deep/0/uniform_01': 'afa422c1bffbc538',
  'deep/7/uniform_01': 'aa4306e55a9af164',
  'small/0/siren': '918f2d955001de77',
  'small/1/siren': 'c5d52bfaefd4e625',
  'small/42/siren': '2afaeead81f6b1ae',
  'small/4294967297/siren': 'c5d52bfaefd4e625',
  'small-nobias/0/siren': '3790b7a4f00f8b78',
  'small-nobias/1/siren': 'f1356d68b5e6122f',
  'small-nobias/42/siren': '55fb67152107935a',
  'small-nobias/4294967297/siren': 'f1356d68b5e6122f',
  'tails/0/siren': '5f7d288c3518f0da',
  'tails/1/siren': '44c8daf4dc2f1d1a',
  'tails/42/siren': '5f253af96e2a5b87',
  'tails/4294967297/siren': '44c8daf4dc2f1d1a',
  'deep/0/siren': '4e2dd2fc9c067796',
  'deep/7/siren': '1938d79ddee302a2',
  'small/0/constant': '241121ce92099110',
  'small/1/constant': 'db6c30ddd9a5be22',
  'small/42/constant': '8e51aa4568e856a6',
  'small/4294967297/constant': 'db6c30ddd9a5be22',
  'small-nobias/0/constant': '4ece2a1ae1a6158a',
  'small-nobias/1/constant': '4ece2a1ae1a6158a',
  'small-nobias/42/constant': '4ece2a1ae1a6158a',
  'small-nobias/4294967297/constant': '4ece2a1ae1a6158a',
  'tails/0/constant': 'b3b5add7fbd66d54',
  'tails/1/constant': 'fbacf13b69fc1109',
  'tails/42/constant': 'e15dcd467691aafd',
  'tails/4294967297/constant': 'fbacf13b69fc1109',
  'deep/0/constant': 'c269fe5eb88e9eb0',
  'deep/7/constant': '7185de4b7d005497',
};

test('initial weights: the old build\'s bits, drawn and from the memo\'s kept draws', () => {
  assert.deepEqual(hashes(lab, 'init'), BEFORE);
  assert.deepEqual(hashes(lab, 'key'), BEFORE);
});

test('alternating seeds, sizes and schemes leave the heap as it was (the memo frees what it drops)', () => {
  const specs = [];
  for (const [sizes, seed] of [[[64, 64, 64, 64], 1], [[64, 50], 3], [[64, 64, 64, 64], 2], [[8, 30, 2], 1], [[64, 50], 4], [[8, 30, 3], 1]])
    for (const init of [{ weight: 'normal', params: { std: 0.06 } }, { weight: 'xavier_uniform', params: { gain: 1.2 } },
      { weight: 'normal', params: { std: 0.07 }, bias: 'zeros' }, undefined])
      specs.push({ sizes, seed, activation: 'Tanh', ...(init ? { init } : {}) });
  const cycle = () => {
    for (const spec of specs) lab.network(spec).delete();
  };
  // The memo's kept draws outlive the networks, so the allocator's free chunks (and the few bytes
  // its splits round up) depend on the order of events: heapBytes() after a cycle alternates
  // within a few bytes. A leak grows with every cycle; this does not.
  cycle();  // one-time growth
  const seen = [];
  for (let i = 0; i < 2; i++) {
    cycle();
    seen.push(lab.heapBytes());
  }
  const most = Math.max(...seen);
  for (let i = 0; i < 10; i++) {
    cycle();
    assert.ok(lab.heapBytes() <= most, `cycle ${i}: ${lab.heapBytes()} bytes in use, ${most} after the first cycles`);
  }
});
