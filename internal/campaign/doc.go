// Package campaign finds the near-identical comments of a public
// consultation and groups them into campaigns, so that a campaign of five
// thousand copies of one letter is shown once, with its count and its
// variants, and can be given one disposition. It never drops a comment:
// every comment is in exactly one campaign, most of them alone.
//
// It is pure: no storage, no clock, no network. The steps:
//
//   - Normalize folds a text to the words that matter: Unicode NFKC, case
//     folded, diacritics removed, punctuation dropped, spaces collapsed.
//   - Fingerprint hashes the overlapping runs of Shingle words of the
//     normalized text with a fixed 64-bit hash and keeps, for each of
//     NumHashes hash functions derived from fixed seeds, the least value:
//     a MinHash Signature, the same in every process and on every machine,
//     computed once per comment at intake and stored with it (Encode, Hex).
//     The share of positions where two signatures agree estimates the
//     Jaccard similarity of the two texts' word runs.
//   - An Index cuts each signature into Bands bands of Rows values; comments
//     that agree on a whole band are candidates, kept when their estimated
//     Jaccard similarity reaches the threshold (0.7 unless told), and
//     joined with union-find. Index.Add adds one comment (intake); Group
//     groups a batch. To compare candidates the index keeps only the low
//     byte of each of a signature's values (b-bit minwise hashing, b = 8):
//     a quarter of the memory, and two different values agree on it one
//     time in 256, under 0.1 of a position at the threshold.
//   - Bursts and Template are signs of fabricated submissions (many
//     comments from one address in a short time; variants that differ only
//     in a few words at the same places, such as a name and a town). They
//     are flags for the secretariat, never reasons to hide a comment.
//
// What the defaults catch: with runs of 4 words, a comment of 70 words
// with one word changed and a signer's name added has a similarity of about
// 0.84 to the letter it copies, two words changed far apart about 0.75;
// separately written comments on the same subject, sharing many words, stay
// below 0.1 (runs of 4 words rarely repeat by chance). The threshold is 0.7
// rather than 0.8 because the estimate from 128 hashes has a standard
// deviation of about 0.03 near 0.8: at 0.8, a copy with one word changed
// sometimes fell out of its campaign (in 6 of 200 trials of the property
// test; none of 300 at 0.7). Grouping is transitive, so copies
// that differ more from each other are still joined through the copies
// between them.
package campaign
