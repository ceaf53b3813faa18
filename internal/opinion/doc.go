// Package opinion computes an opinion map of a consultation, in the manner of
// Polis: participants vote agree (+1), disagree (-1) or pass (0) on
// statements; the map places each participant on a plane, groups them, and
// says which statements each group stands for, where the crowd agrees, and
// which statements bridge groups that disagree elsewhere. The same analysis
// is made for groups the participants declared (stakeholder groups), so a
// reader sees where governments, civil society, the technical community and
// business agree and where they split.
//
// # Method
//
// Votes are kept sparse, one list per participant; the latest vote of a
// participant on a statement wins. A participant is counted (placed in a
// group) once it has cast Options.MinVotes votes, or as many votes as there
// are statements if that is fewer; votes on statements moderated out
// (Options.Excluded) count toward this, as in Polis, but those statements
// take no other part in the map. As in Polis, every voter, counted or not,
// takes part in the PCA.
//
// PCA. Missing votes are imputed with the statement's mean vote, as Polis
// does. Imputing the mean and then centring equals centring the observed
// votes and leaving the missing ones at zero, so the centred matrix Y stays
// sparse and exact. The two principal components are found by simultaneous
// power iteration on YᵀY (two sparse products per step, Gram-Schmidt between
// the two vectors) until the cosine between successive directions is within 1e-8 of 1 for both, or after
// 200 steps. A participant's position is its centred votes projected on the
// components, scaled by sqrt(statements / votes cast), Polis' correction
// that keeps participants with few votes from collapsing onto the centre.
// As in Polis, a statement moderated out is a column of zeros, a pass by
// every voter: it moves no component, but it counts among the statements
// and among each voter's votes in that scaling.
// The sign of each component is fixed so that its largest loading is
// positive, which makes maps comparable between runs.
//
// Groups. As in Polis, the positions are first summarised by up to 100 base
// clusters, then the base clusters, weighted by their sizes, are grouped by
// k-means for k = 2 … min(MaxK, 2 + bases/12). The k-means runs start as
// Polis' do: the base clusters from the first 100 distinct positions in the
// order of the participants' identifiers (Polis numbers participants as
// they join and starts from the first rows of its vote matrix), each
// grouping from the first k distinct base centres in the same order. So the
// map does not depend on the order the votes come in, only on who cast
// them. (The k-means itself uses Hamerly's bounds and the triangle
// inequality between centres, so the work over many 2-D points stays
// small.) k-means has local optima, and Polis' start can fall into one
// that fits the participants far worse than another, for example when two
// of the first k centres lie in one dense group; so each grouping is also
// run from a few k-means++ starts drawn from Options.Seed, and the one
// with the least inertia replaces Polis' only when it fits the participants
// significantly better (the paired differences of each participant's
// squared distance to its group's centre give a one-sided z of at least
// 1.2816). Where two groupings fit equally well, Polis' start decides, as
// it does in Polis.
//
// The number of groups. Each grouping is scored by the silhouette of the
// participants (an evenly spaced sample of 20,000 when there are more),
// each participant taking its base cluster's group and seeing the others
// at their base clusters' centres, so a base cluster of 300 participants
// weighs 300 times one of 1. (Polis scores the base centres counted once
// each, which measures the area the participants cover rather than where
// they crowd: with four overlapping groups it sees two.) The grouping with
// the best mean silhouette is not taken outright: the one with the fewest
// groups wins unless the best is significantly better on the same
// participants (the paired differences of their silhouettes give a
// one-sided z of at least 1.2816, the level used for representative
// statements). More groups are shown only when the participants bear them
// out; Polis gets a similar restraint from history, changing its number of
// groups only after four updates agree.
//
// Representative statements. For a group g and a statement, with na agrees,
// nd disagrees and ns votes in g, the smoothed probabilities are
// pa = (1+na)/(2+ns) and pd = (1+nd)/(2+ns). A statement represents g in
// agreement when pa exceeds the same probability among everyone outside g,
// the two-proportion z statistic of that difference is at least 1.2816 (one
// sided, 90 %), and pa itself is a majority by the one-proportion z test at
// the same level; likewise for disagreement. They are ranked by
// (pa / pa_rest) · z · pa · z_pa, as Polis ranks them.
//
// Consensus. Over all counted participants, statements with a significant
// majority agreeing (or disagreeing), ranked by p · z. Group-informed
// consensus is Polis' product over groups of pa (or pd): the probability
// that a member of every group agrees.
//
// Bridging. Two groups are divided when at least one statement has a
// significant majority of one group agreeing and a significant majority of
// the other disagreeing (one-proportion z ≥ 1.2816 each). A statement is
// bridging when, among a set of groups that contains at least one divided
// pair, a significant majority of every group agrees with it (or every group
// disagrees). The set is all the groups of the analysis, so a bridging
// statement exists only when at least one statement splits them. Its score is the smallest pa (or pd) over the groups, and it
// carries the number of statements on which those same groups split. Unlike
// consensus, a large group cannot carry a bridging statement alone: each
// group must agree on its own.
//
// Splits. A statement splits the groups when a significant majority of one
// group agrees and a significant majority of another disagrees; the spread
// is the largest pa minus the smallest pa over the groups.
//
// Updates. A map keeps its votes, each statement's sum and number of
// votes, and its votes counted by group; Update adds the votes cast since
// and computes the map again from warm starts, as Polis does between
// updates: the power iteration from the previous components, each vote
// centred on the fly by its statement's mean (no centred copy of the
// votes), stopping once the steps shrink geometrically and the distance
// they leave to the limit is below Compute's tolerance (estimated as for a
// geometric sequence: the last step times ρ/(1-ρ), ρ the ratio of the last
// two steps); the base clusters from the previous centres (each
// participant's nearest-centre scan starting at its previous base
// cluster); the counts by group from the previous ones, changing only the
// participants whose votes or group changed. The grouping of the base clusters and the statements are
// computed afresh, so an update gives the map Compute gives on all the
// votes, up to where the iterations stop, for the same number of groups.
// The number of groups is chosen again only when the participants whose
// votes changed since the last choice exceed 5 % of those counted, or on
// the 10th update since: as Polis, which changes its number of groups only
// after several updates agree, an update does not change it on a handful
// of votes, and it saves the silhouettes (about 24 ms of CPU at 100,000
// participants).
//
// The package does no I/O except ReadVotes, ReadComments and
// ReadParticipants, which read Polis' open-data CSV format from readers.
package opinion
