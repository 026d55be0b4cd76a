//! Two kinds of "emergency" a receptionist must tell apart.
//!
//! A **life threat** (someone not breathing, a fire, a heart attack) is not
//! the business's to handle: the caller is told to call the emergency number.
//! The business's own **urgent work** (water pouring through a ceiling, a
//! throbbing molar and a puffy jaw, a dog that ate chocolate, "I've been
//! arrested") goes to its emergency line or becomes an urgent message. An
//! animal in danger is the vet's urgent work, not a 911 call, unless a person
//! is in danger too.

use super::super::normalize::{find_phrase, has_any};
use super::questions::DAY_NAMES;

/// Life-safety phrases (matched on stems: "hurts" -> "hurt").
const LIFE_THREATS: &[&[&str]] = &[
    &["medical", "emergency"],
    &["life", "threatening"],
    &["someone", "is", "hurt"],
    &["someone", "hurt"],
    &["somebody", "is", "hurt"],
    &["somebody", "hurt"],
    &["badly", "hurt"],
    &["seriously", "hurt"],
    &["seriously", "injured"],
    &["badly", "injured"],
    &["unconscious"],
    &["unresponsive"],
    &["not", "breathing"],
    &["isnt", "breathing"],
    &["stopped", "breathing"],
    &["cant", "breathe"],
    &["cannot", "breathe"],
    &["can", "not", "breathe"],
    &["trouble", "breathing"],
    &["heart", "attack"],
    &["having", "a", "stroke"],
    &["overdose"],
    &["overdosed"],
    &["choking"],
    &["passed", "out"],
    &["collapsed"],
    &["chest", "pain"],
    &["on", "fire"],
    &["caught", "fire"],
    &["house", "fire"],
    &["kitchen", "fire"],
    &["a", "fire"],
    &["smell", "gas"],
    &["smelling", "gas"],
    &["smell", "of", "gas"],
    &["gas", "smell"],
    &["gas", "leak"],
    &["leaking", "gas"],
    &["carbon", "monoxide"],
    &["911"],
    &["kill", "myself"],
    &["killing", "myself"],
    &["suicide"],
    &["suicidal"],
    &["end", "my", "life"],
    &["ending", "my", "life"],
    &["take", "my", "own", "life"],
    &["taking", "my", "own", "life"],
    &["take", "my", "life"],
    &["end", "it", "all"],
    &["ending", "it", "all"],
    &["better", "off", "dead"],
    &["dont", "want", "to", "live"],
    &["no", "reason", "to", "live"],
    &["is", "dying"],
    &["bleeding", "badly"],
    &["bleeding", "a", "lot"],
    &["bleeding", "really", "bad"],
    &["bleeding", "bad"],
    &["lot", "of", "blood"],
    &["wont", "stop", "bleeding"],
    &["barely", "breathe"],
    &["hard", "to", "breathe"],
    &["throat", "is", "closing"],
    &["throat", "closing"],
    &["cant", "wake"],
    &["wont", "wake", "up"],
    &["not", "waking", "up"],
    &["attacked"],
    &["mauled"],
    &["flame"],
    &["smoke", "coming"],
    &["has", "a", "gun"],
    &["got", "a", "gun"],
    &["with", "a", "gun"],
    &["pointing", "a", "gun"],
    &["has", "a", "knife"],
    &["with", "a", "knife"],
    &["hit", "me"],
    &["hurt", "me"],
    &["gonna", "hurt"],
    &["going", "to", "hurt"],
    &["gonna", "kill"],
    &["going", "to", "kill"],
    &["threatening", "to", "kill"],
    &["breaking", "in"],
    &["kicking", "the", "door"],
    &["kicking", "down", "the", "door"],
    &["intruder"],
    &["im", "hiding"],
    &["not", "safe"],
    &["allergic", "reaction"],
    &["not", "moving"],
    &["isnt", "moving"],
    &["bleeding", "from", "the", "head"],
    &["head", "injury"],
    &["not", "responding"],
    &["isnt", "responding"],
    &["electrocuted"],
    &["got", "shocked"],
    &["rotten", "egg"],
    &["smell", "like", "gas"],
    &["smells", "like", "gas"],
    &["its", "gas"],
];
/// Threats that endanger people whoever else is mentioned.
const ALWAYS_PEOPLE: &[&[&str]] = &[
    &["flame"],
    &["smoke", "coming"],
    &["has", "a", "gun"],
    &["got", "a", "gun"],
    &["with", "a", "gun"],
    &["pointing", "a", "gun"],
    &["has", "a", "knife"],
    &["with", "a", "knife"],
    &["hit", "me"],
    &["hurt", "me"],
    &["gonna", "hurt"],
    &["going", "to", "hurt"],
    &["gonna", "kill"],
    &["going", "to", "kill"],
    &["threatening", "to", "kill"],
    &["breaking", "in"],
    &["kicking", "the", "door"],
    &["kicking", "down", "the", "door"],
    &["intruder"],
    &["im", "hiding"],
    &["not", "safe"],
    &["on", "fire"],
    &["caught", "fire"],
    &["house", "fire"],
    &["kitchen", "fire"],
    &["a", "fire"],
    &["smell", "gas"],
    &["smelling", "gas"],
    &["smell", "of", "gas"],
    &["gas", "smell"],
    &["gas", "leak"],
    &["leaking", "gas"],
    &["carbon", "monoxide"],
    &["911"],
    &["kill", "myself"],
    &["killing", "myself"],
    &["suicide"],
    &["suicidal"],
    &["end", "my", "life"],
    &["ending", "my", "life"],
    &["take", "my", "own", "life"],
    &["taking", "my", "own", "life"],
    &["take", "my", "life"],
    &["end", "it", "all"],
    &["ending", "it", "all"],
    &["better", "off", "dead"],
    &["dont", "want", "to", "live"],
    &["no", "reason", "to", "live"],
    &["electrocuted"],
    &["got", "shocked"],
    &["rotten", "egg"],
    &["smell", "like", "gas"],
    &["smells", "like", "gas"],
    &["its", "gas"],
];
/// Words after "fire" that make it a service, not a blaze.
const FIRE_SERVICES: &[&str] = &[
    "alarm",
    "sprinkler",
    "extinguisher",
    "pit",
    "inspection",
    "code",
    "hydrant",
    "damage",
    "suppression",
    "door",
    "safety",
    "place",
];
#[rustfmt::skip]
const ANIMALS: &[&str] = &[
    "dog", "puppy", "pup", "cat", "kitten", "kitty", "pet", "bird", "parrot", "rabbit", "bunny", "hamster",
    "guinea", "horse", "ferret", "lizard", "snake", "turtle", "tortoise", "animal", "doggy", "doggie", "pig",
    "goat", "cockatiel", "budgie", "chinchilla", "gerbil", "rat", "mouse", "iguana", "pony", "lab", "retriever",
    "shepherd", "terrier", "poodle", "beagle", "bulldog", "chihuahua",
];
#[rustfmt::skip]
/// Threats that are a person's only when the caller names one.
const ABOUT_SOMEONE: &[&[&str]] = &[&["not", "moving"], &["isnt", "moving"]];
/// Who "is not moving" when no one is named.
const PRONOUNS: &[&str] = &["he", "hes", "she", "shes", "they", "theyre", "him", "her"];

const PEOPLE: &[&str] = &[
    "someone",
    "somebody",
    "person",
    "husband",
    "wife",
    "son",
    "daughter",
    "baby",
    "child",
    "kid",
    "mom",
    "mother",
    "dad",
    "father",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "friend",
    "neighbor",
    "boyfriend",
    "girlfriend",
    "brother",
    "sister",
    "coworker",
    "man",
    "woman",
    "guy",
    "lady",
    "partner",
    "myself",
    "toddler",
    "infant",
    "pedestrian",
    "driver",
    "passenger",
    "people",
    "kids",
    "children",
    "customer",
    "customers",
];

/// "His front tooth came completely out", "half my tooth just broke off".
fn tooth_damage(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        matches!(*s, "tooth" | "teeth" | "crown" | "filling" | "molar")
            && stems[i + 1..stems.len().min(i + 6)].iter().any(|t| {
                matches!(
                    *t,
                    "out"
                        | "broke"
                        | "broken"
                        | "cracked"
                        | "loose"
                        | "knocked"
                        | "snapped"
                        | "split"
                )
            })
    })
}

/// "My throat feels really tight", "her throat is swelling up".
fn throat_closing(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        *s == "throat"
            && stems[i + 1..stems.len().min(i + 5)]
                .iter()
                .any(|t| matches!(*t, "tight" | "closing" | "swelling" | "swollen" | "closed"))
    })
}

/// The life-threat phrases in `stems`, not negated ("not bleeding"), and a
/// fire only when it is not a fire alarm or sprinkler.
fn threats_in<'p>(stems: &[&str]) -> Vec<&'p [&'p str]> {
    let fire_service = stems
        .windows(2)
        .any(|w| w[0] == "fire" && FIRE_SERVICES.contains(&w[1]));
    LIFE_THREATS
        .iter()
        .copied()
        .filter(|p| {
            find_phrase(stems, p).is_some_and(|at| !negated(stems, at) || p.contains(&"not"))
        })
        .filter(|p| !(fire_service && p.contains(&"fire")))
        .collect()
}

/// "My life insurance", "my life savings": a thing, not a life.
const LIFE_THINGS: &[&str] = &[
    "insurance",
    "policy",
    "coverage",
    "saving",
    "savings",
    "story",
    "plan",
];

/// A phrase ending in "life" that names a thing ("ending my life insurance").
fn life_as_a_thing(stems: &[&str], phrase: &[&str], at: usize) -> bool {
    phrase.last() == Some(&"life")
        && stems
            .get(at + phrase.len())
            .is_some_and(|next| LIFE_THINGS.contains(next))
}

/// Parts of the body where bleeding or a blow endangers a life.
const VITAL_PARTS: &[&str] = &["head", "neck", "chest", "skull"];
/// Signs that a person's mind or body is failing.
#[rustfmt::skip]
const FAILING_SIGNS: &[&[&str]] = &[
    &["out", "of", "it"], &["dizzy"], &["disoriented"], &["fainted"], &["fainting"],
    &["lightheaded"], &["light", "headed"], &["incoherent"], &["slurring"], &["blacked", "out"],
    &["throwing", "up"], &["vomiting"], &["puking"], &["nauseous"], &["drowsy"],
    &["cant", "stay", "awake"], &["keep", "falling", "asleep"],
];
/// Something in the air that sickens people (with a sign: poisoning).
#[rustfmt::skip]
const FUMES: &[&str] = &[
    "exhaust", "fume", "fumes", "smoke",
];
/// A crash or a blow that can hurt someone inside.
#[rustfmt::skip]
const CRASHES: &[&[&str]] = &[
    &["rear", "ended"], &["car", "accident"], &["crash"], &["crashed"], &["wreck"], &["collision"],
    &["hit", "her", "head"], &["hit", "his", "head"], &["hit", "my", "head"], &["hit", "their", "head"],
    &["t", "boned"], &["tboned"], &["rolled", "over"], &["flipped"], &["drove", "into"], &["ran", "into"],
    &["crashed", "into"], &["plowed", "into"], &["hit", "by", "a", "car"], &["got", "hit", "by"],
];
/// Someone down where they fell.
const DOWN: &[&[&str]] = &[
    &["on", "the", "ground"],
    &["on", "the", "floor"],
    &["on", "the", "sidewalk"],
    &["lying", "there"],
    &["laying", "there"],
];

/// "Her head is bleeding", "bleeding from his neck".
fn vital_bleeding(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        let slight = stems[i + 1..stems.len().min(i + 4)]
            .iter()
            .any(|t| matches!(*t, "little" | "bit" | "slightly" | "minor"));
        matches!(*s, "bleeding" | "bleed")
            && !slight
            && (stems[i.saturating_sub(4)..i]
                .iter()
                .any(|p| VITAL_PARTS.contains(p))
                || stems[i + 1..stems.len().min(i + 5)]
                    .iter()
                    .any(|p| VITAL_PARTS.contains(p)))
    })
}

/// A person named with signs of harm that together mean a 911 call: fumes
/// and a sick person (poisoning), a crash and a bleeding or dazed person, a
/// bleeding head.
fn person_in_danger(stems: &[&str]) -> bool {
    let person = stems
        .iter()
        .any(|s| PEOPLE.contains(s) || PRONOUNS.contains(s) || matches!(*s, "i" | "im" | "me"));
    if !person || (mentions_animal(stems) && !stems.iter().any(|s| PEOPLE.contains(s))) {
        return false;
    }
    let failing = FAILING_SIGNS
        .iter()
        .filter_map(|p| find_phrase(stems, p))
        .any(|at| !negated(stems, at));
    // A headache from exhaust is carbon monoxide; from smoke, a nuisance.
    let sickened = failing
        || (stems.contains(&"headache")
            && stems
                .iter()
                .any(|s| matches!(*s, "exhaust" | "fume" | "fumes")));
    let fumes = stems.iter().any(|s| FUMES.contains(s))
        && !stems.windows(2).any(|w| {
            FUMES.contains(&w[0]) && matches!(w[1], "detector" | "alarm" | "test" | "check")
        });
    let bleeding = vital_bleeding(stems);
    let crash = has_any(stems, CRASHES);
    let named = stems
        .iter()
        .any(|s| PEOPLE.contains(s) || PRONOUNS.contains(s));
    // "A car drove into the patio and people are on the ground bleeding."
    let bleeding_at_all = stems
        .iter()
        .enumerate()
        .any(|(at, s)| matches!(*s, "bleeding" | "bleed") && !negated(stems, at));
    let hurt_badly = bleeding_at_all && (crash || has_any(stems, DOWN));
    (fumes && sickened) || ((bleeding || hurt_badly) && named) || (crash && failing && named)
}

/// A threat to a person's life or safety.
pub(crate) fn is_life_threat(stems: &[&str]) -> bool {
    if throat_closing(stems) && !mentions_animal(stems) {
        return true;
    }
    if person_in_danger(stems) {
        return true;
    }
    let fire_service = stems
        .windows(2)
        .any(|w| w[0] == "fire" && FIRE_SERVICES.contains(&w[1]));
    let threats: Vec<&&[&str]> = LIFE_THREATS
        .iter()
        .filter(|p| find_phrase(stems, p).is_some_and(|at| !life_as_a_thing(stems, p, at)))
        .filter(|p| !(fire_service && p.contains(&"fire")))
        .collect();
    if threats.is_empty() {
        return false;
    }
    if threats.iter().any(|p| ALWAYS_PEOPLE.contains(p)) {
        return true;
    }
    // "Not moving" is a person only when one is named: "my car is not
    // moving" is a tow.
    if threats.iter().all(|p| ABOUT_SOMEONE.contains(p))
        && !stems
            .iter()
            .any(|s| PEOPLE.contains(s) || PRONOUNS.contains(s))
    {
        return false;
    }
    // "My gums are bleeding" at the dentist is a dental matter.
    if is_dental(stems) && !stems.iter().any(|s| PEOPLE.contains(s)) {
        return threats.iter().any(|p| {
            p.iter().any(|w| {
                matches!(
                    *w,
                    "breathe"
                        | "breathing"
                        | "heart"
                        | "unconscious"
                        | "unresponsive"
                        | "responding"
                        | "collapsed"
                )
            })
        });
    }
    // "My dog collapsed" is the vet's emergency, not 911's.
    !mentions_animal(stems) || stems.iter().any(|s| PEOPLE.contains(s))
}

fn is_dental(stems: &[&str]) -> bool {
    stems.iter().any(|s| {
        matches!(
            *s,
            "gum"
                | "tooth"
                | "teeth"
                | "floss"
                | "flossing"
                | "brush"
                | "brushing"
                | "molar"
                | "filling"
                | "crown"
                | "extraction"
                | "extracted"
                | "pulled"
                | "wisdom"
        )
    })
}

fn mentions_animal(stems: &[&str]) -> bool {
    stems.iter().any(|s| ANIMALS.contains(s))
}

/// Situations that are urgent work for the business that takes the call,
/// however the caller phrases the rest (even as a question).
#[rustfmt::skip]
const URGENT_SITUATIONS: &[&[&str]] = &[
    // Someone made ill by what they ate ("food poisoning", "had a
    // reaction, we used his EpiPen").
    &["food", "poisoning"], &["food", "poison"], &["epipen"], &["epi", "pen"], &["had", "a", "reaction"],
    // Water and drains, heating, power, locks.
    &["burst"], &["bursting"], &["pipe", "broke"], &["pipe", "broken"], &["broken", "pipe"], &["flood"],
    &["flooding"], &["flooded"], &["pouring"], &["gushing"], &["spraying"], &["water", "everywhere"],
    &["water", "all", "over"], &["through", "the", "ceiling"], &["through", "my", "ceiling"],
    &["ceiling", "is", "leaking"], &["ceiling", "leaking"], &["overflowing"], &["sewage"], &["sewer", "backup"],
    &["backing", "up", "into"], &["coming", "up", "through"], &["standing", "water"], &["frozen", "pipe"],
    &["pipe", "froze"], &["pipe", "frozen"], &["wont", "shut", "off"], &["cant", "shut", "off"],
    &["cant", "turn", "off", "the", "water"], &["cant", "turn", "the", "water", "off"], &["no", "heat"],
    &["furnace", "is", "out"], &["furnace", "went", "out"], &["heat", "went", "out"], &["no", "power"],
    &["power", "is", "out"], &["sparking"], &["locked", "out"], &["broke", "down"], &["broken", "down"],
    &["stranded"], &["leaking", "everywhere"], &["water", "is", "coming"], &["water", "coming"],
    // Teeth.
    &["throbbing"], &["swollen"], &["swelling"], &["puffy"], &["abscess"], &["knocked", "out"],
    &["broke", "my", "tooth"], &["broke", "a", "tooth"], &["broken", "tooth"], &["cracked", "tooth"],
    &["tooth", "broke"], &["tooth", "cracked"], &["toothache"], &["tooth", "ache"], &["severe", "pain"],
    &["so", "much", "pain"], &["lot", "of", "pain"], &["in", "agony"], &["excruciating"], &["unbearable"],
    &["killing", "me"], &["cant", "sleep"], &["really", "bad", "pain"], &["terrible", "pain"], &["worst", "pain"],
    &["face", "is", "swollen"], &["tooth", "fell", "out"], &["tooth", "came", "out"], &["fell", "and", "hit"],
    // Animals.
    &["hit", "by", "a", "car"], &["got", "hit"], &["seizure"], &["seizing"], &["having", "a", "fit"],
    &["bloat"], &["bloated"], &["cant", "stand"], &["cant", "walk"], &["wont", "get", "up"],
    &["vomiting", "blood"], &["throwing", "up", "blood"], &["blood", "in"], &["poisoned"], &["poison"],
    &["antifreeze"], &["struggling", "to", "breathe"], &["labored", "breathing"], &["cant", "pee"],
    &["straining", "to", "pee"], &["not", "breathing"], &["cant", "breathe"], &["choking"], &["collapsed"],
    &["unconscious"], &["unresponsive"], &["bleeding"], &["attacked", "by"], &["bitten", "by"],
    &["really", "hurt"], &["hurt", "so", "bad"], &["hurt", "really", "bad"], &["hurt", "so", "much"],
    &["inch", "of", "water"], &["water", "on", "the", "floor"], &["water", "across"], &["leaking", "really", "bad"],
    &["leaking", "bad"], &["leaking", "a", "lot"], &["backing", "up"], &["backed", "up", "into"],
    &["furnace", "quit"], &["furnace", "died"], &["furnace", "stopped"], &["furnace", "is", "out"],
    &["heat", "out"], &["heat", "been", "out"], &["heat", "is", "out"], &["heater", "died"], &["ac", "died"],
    &["ac", "is", "out"], &["ac", "out"], &["ac", "quit"], &["conditioning", "died"], &["conditioning", "quit"],
    &["conditioner", "died"], &["conditioning", "is", "out"], &["completely", "died"], &["no", "air"],
    &["no", "ac"], &["no", "cooling"], &["stopped", "blowing"], &["furnace", "just"], &["ac", "stopped"],
    &["heat", "stopped"], &["heater", "stopped"], &["furnace", "stopped"], &["ac", "just"],
    &["isnt", "breathing"], &["wheezing"], &["mouth", "open"], &["pale"], &["turning", "blue"],
    &["look", "blue"], &["is", "blue"], &["straining"], &["nothing", "coming", "out"], &["not", "peeing"],
    &["wont", "eat", "or", "drink"], &["cant", "keep", "anything", "down"], &["limping", "badly"],
    &["blister"], &["is", "burning"], &["got", "burned"], &["chemical", "burn"], &["hair", "is", "falling", "out"],
    &["cancelled", "on", "us"], &["canceled", "on", "us"], &["can", "anybody", "help"],
    &["can", "anyone", "help"], &["can", "somebody", "help"], &["can", "someone", "help"],
    &["bond", "hearing"], &["bail"], &["holding", "him"], &["holding", "her"], &["being", "held"],
    &["locked", "up"], &["protection", "order"], &["served", "with"], &["expires", "at"], &["expire", "at"],
    &["expires", "today"], &["expires", "tonight"], &["due", "today"], &["by", "end", "of", "day"],
    // Legal trouble.
    &["arrested"], &["in", "jail"], &["jail"], &["in", "custody"], &["detained"], &["court", "tomorrow"],
    &["hearing", "tomorrow"], &["trial", "tomorrow"], &["court", "date", "is", "tomorrow"],
    &["court", "in", "the", "morning"], &["restraining", "order"], &["warrant"], &["police", "are"],
    &["cop", "are"], &["deported"], &["deportation"], &["eviction", "tomorrow"], &["evicted", "tomorrow"],
    &["deadline", "is", "tomorrow"], &["deadline", "is", "today"], &["due", "tomorrow"],
    // Money or property being taken: a levy, a garnishment, a seizure.
    &["levy"], &["levied"], &["levying"], &["garnish"], &["garnished"], &["garnishing"], &["garnishment"],
    &["seize"], &["seized"], &["seizing"], &["final", "notice"], &["foreclosure"], &["foreclose"],
    &["foreclosing"], &["repossess"], &["repossessed"], &["repossessing"], &["repossession"],
    &["shut", "off", "notice"], &["shutoff", "notice"], &["disconnection", "notice"], &["froze", "my", "account"],
    &["froze", "my", "bank"], &["froze", "my", "business"], &["froze", "our", "account"], &["froze", "our", "bank"],
    &["froze", "the", "account"], &["account", "is", "frozen"], &["account", "frozen"], &["account", "got", "frozen"],
    // A driver stuck on the road.
    &["im", "on", "the", "shoulder"], &["were", "on", "the", "shoulder"], &["stuck", "on", "the", "shoulder"],
    &["sitting", "on", "the", "shoulder"], &["stopped", "on", "the", "shoulder"], &["on", "the", "shoulder", "of"],
    &["side", "of", "the", "road"], &["side", "of", "the", "highway"],
    &["side", "of", "the", "freeway"], &["side", "of", "the", "interstate"], &["i", "pulled", "over"],
    &["we", "pulled", "over"], &["had", "to", "pull", "over"],
    &["need", "a", "tow"], &["send", "a", "tow"], &["no", "spare"], &["steam", "coming"],
];
/// Something harmful an animal swallowed (with "ate", "got into"...).
const TOXINS: &[&str] = &[
    "chocolate",
    "grape",
    "raisin",
    "xylitol",
    "lily",
    "lilie",
    "poison",
    "antifreeze",
    "ibuprofen",
    "advil",
    "tylenol",
    "medication",
    "medicine",
    "pill",
    "onion",
    "gum",
    "bleach",
    "sock",
    "bone",
    "battery",
    "weed",
    "marijuana",
    "edible",
];
#[rustfmt::skip]
const SWALLOWED: &[&str] = &[
    "ate", "eaten", "eat", "eating", "swallowed", "swallow", "into", "chewed", "chewing", "chew", "licked",
    "licking", "drank", "drinking", "bit",
];
/// A deadline close at hand: urgent, but not work of its own ("have it
/// done by tomorrow" is the usual department's, not the tow truck's).
#[rustfmt::skip]
const DEADLINES: &[&[&str]] = &[
    &["by", "tomorrow"], &["by", "tonight"], &["by", "today"], &["by", "the", "end", "of", "the", "day"],
    &["by", "end", "of", "day"],
];

/// "The auditor wants everything by tomorrow", "I have to call her by
/// Thursday".
pub(crate) fn close_deadline(stems: &[&str]) -> bool {
    // Someone requires it ("can you come by tomorrow" is a wish).
    let obliged = has_any(
        stems,
        &[
            &["have", "to"],
            &["got", "to"],
            &["gotta"],
            &["must"],
            &["need", "to"],
            &["demanding"],
            &["required"],
            &["requires"],
        ],
    ) || stems
        .iter()
        .any(|s| matches!(*s, "want" | "wants" | "need" | "needs"));
    obliged
        && (DEADLINES
            .iter()
            .filter_map(|p| find_phrase(stems, p))
            .any(|at| !negated(stems, at))
            || stems
                .windows(2)
                .any(|w| w[0] == "by" && DAY_NAMES.contains(&w[1])))
}

/// Words that say "urgent" without saying what happened.
const URGENT_WORDS: &[&[&str]] = &[
    &["emergency"],
    &["urgent"],
    &["urgently"],
    &["asap"],
    &["as", "soon", "as", "possible"],
    &["right", "away"],
    &["immediately"],
    &["cant", "wait"],
    &["need", "someone", "now"],
    &["need", "someone", "today"],
    &["need", "somebody", "now"],
    &["need", "somebody", "today"],
    &["need", "help", "now"],
    &["need", "help", "right", "now"],
];
/// Service words after "emergency" that make it a question about a service.
#[rustfmt::skip]
const SERVICE_AFTER: &[&str] = &[
    "appointment", "service", "plumber", "plumbing", "visit", "dentist", "number", "line", "fee", "rate",
    "call", "repair", "electrician", "slot", "contact", "vet", "clinic", "hour", "policy", "exam", "charge",
    "price", "cost", "dental", "care", "rates", "pricing", "availability",
];
/// "Do you handle emergencies?": asking what the business offers.
const ASKS_ABOUT_OFFER: &[&[&str]] = &[
    &["do", "you", "handle"],
    &["do", "you", "do"],
    &["do", "you", "offer"],
    &["do", "you", "take"],
    &["do", "you", "have"],
    &["do", "you", "see"],
    &["do", "you", "treat"],
    &["do", "you", "guy", "do"],
    &["do", "you", "guy", "handle"],
    &["do", "you", "guy", "take"],
    &["do", "you", "guy", "offer"],
    &["do", "yall"],
    &["is", "there", "an"],
    &["how", "much"],
    &["what", "do", "you", "charge"],
    &["what", "about", "emergency"],
    &["what", "if", "i", "have"],
    &["what", "happen", "if"],
    &["what", "happens", "if"],
    &["in", "case", "of"],
    &["if", "i", "have", "an"],
    &["if", "there", "is", "an"],
    &["if", "theres", "an"],
];
const NEGATIONS: &[&str] = &[
    "not", "no", "isnt", "aint", "never", "non", "nt", "wasnt", "dont", "doesnt",
];

/// The business's own urgent work: a situation that cannot wait, or the
/// caller saying it is urgent (not asking whether the business does
/// emergencies, and not "it's not urgent").
pub(crate) fn is_urgent(stems: &[&str]) -> bool {
    if has_any(stems, &[&["no", "rush"], &["no", "hurry"], &["whenever"]]) {
        return false;
    }
    if is_urgent_situation(stems) || close_deadline(stems) {
        return true;
    }
    if has_any(stems, ASKS_ABOUT_OFFER) {
        return false;
    }
    URGENT_WORDS.iter().any(|p| {
        find_phrase(stems, p).is_some_and(|at| {
            let service =
                p == &["emergency"] && stems.get(at + 1).is_some_and(|s| SERVICE_AFTER.contains(s));
            !service && !negated(stems, at)
        })
    })
}

/// Urgent work described (a pipe that burst, a levy on an account, a car
/// broken down on the shoulder), not just called urgent.
pub(crate) fn is_urgent_situation(stems: &[&str]) -> bool {
    if has_any(stems, &[&["no", "rush"], &["no", "hurry"], &["whenever"]]) {
        return false;
    }
    let situation = URGENT_SITUATIONS
        .iter()
        .filter_map(|p| find_phrase(stems, p))
        .any(|at| !negated(stems, at));
    situation
        || !threats_in(stems).is_empty()
        || swallowed_toxin(stems)
        || made_ill_by_food(stems)
        || throat_closing(stems)
        || tooth_damage(stems)
        || pay_taken(stems)
        || account_frozen(stems)
}

/// "They froze my checking account", "our business account got frozen".
fn account_frozen(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        matches!(*s, "froze" | "frozen")
            && stems[i.saturating_sub(3)..stems.len().min(i + 5)]
                .iter()
                .any(|t| matches!(*t, "account" | "bank" | "fund" | "funds"))
    })
}

/// "They're going to start taking half my paycheck" (but "they take taxes
/// out of my paycheck" is payroll as usual).
fn pay_taken(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        matches!(*s, "take" | "taking" | "took" | "grab" | "grabbing")
            && stems[i + 1..stems.len().min(i + 6)]
                .iter()
                .take_while(|t| !matches!(**t, "out" | "from"))
                .any(|t| matches!(*t, "paycheck" | "wage" | "wages" | "salary"))
    })
}

/// "It's not urgent", "isn't an emergency", "no swelling".
fn negated(stems: &[&str], at: usize) -> bool {
    stems[at.saturating_sub(3)..at]
        .iter()
        .any(|s| NEGATIONS.contains(s))
}

/// Signs of being made ill.
const ILL: &[&[&str]] = &[
    &["throwing", "up"],
    &["threw", "up"],
    &["vomiting"],
    &["vomited"],
    &["puking"],
    &["diarrhea"],
    &["food", "poisoning"],
    &["sick", "to", "my", "stomach"],
    &["stomach", "cramps"],
];
/// A meal eaten.
const ATE: &[&str] = &[
    "ate",
    "eaten",
    "eating",
    "food",
    "meal",
    "lunch",
    "dinner",
    "breakfast",
    "brunch",
    "takeout",
    "order",
];

/// "I had the fish tacos for lunch and I've been throwing up ever since":
/// someone made ill by what they ate, which the business must hear of now,
/// unless they are only calling off a visit ("I've been throwing up, I
/// need to cancel").
fn made_ill_by_food(stems: &[&str]) -> bool {
    let ill = ILL
        .iter()
        .filter_map(|p| find_phrase(stems, p))
        .any(|at| !negated(stems, at));
    let calling_off = stems
        .iter()
        .any(|s| matches!(*s, "cancel" | "reschedule" | "postpone" | "move"));
    // The meal came from the business ("ate there", "your catering"): a
    // lunch elsewhere is not a dentist's urgent work. A pet that threw up
    // is the vet's to judge (see `swallowed_toxin`).
    let served_here = stems
        .iter()
        .any(|s| matches!(*s, "there" | "here" | "your" | "yall"))
        || has_any(
            stems,
            &[&["from", "you"], &["you", "served"], &["you", "guy"]],
        );
    ill && served_here
        && stems.iter().any(|s| ATE.contains(s))
        && !calling_off
        && !mentions_animal(stems)
}

/// "My dog ate a whole bar of chocolate", "the cat got into the lilies".
fn swallowed_toxin(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        SWALLOWED.contains(s)
            && stems[i + 1..stems.len().min(i + 8)]
                .iter()
                .any(|t| TOXINS.contains(t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::rules::normalize::words;

    fn stems(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.stem).collect()
    }

    fn life(text: &str) -> bool {
        let s = stems(text);
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        is_life_threat(&s)
    }

    fn urgent(text: &str) -> bool {
        let s = stems(text);
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        is_urgent(&s)
    }

    #[test]
    fn people_in_danger_are_life_threats() {
        for text in [
            "my husband collapsed and hes not breathing",
            "there's a fire in the kitchen",
            "i smell gas in the basement",
            "someone is hurt really bad",
            "my son is choking",
            "my dog knocked over a candle and the couch is on fire",
            "i think my dad is having a heart attack",
        ] {
            assert!(life(text), "{text}");
        }
    }

    #[test]
    fn the_business_s_own_emergencies_are_urgent_not_911() {
        for text in [
            "water is pouring through the kitchen ceiling",
            "my molar is throbbing and my jaw is all puffy",
            "the cat got into the lilies",
            "my dog ate a whole bar of dark chocolate",
            "my dog got hit by a car",
            "my dog is not breathing right",
            "its an emergency",
            "this is an emergency please",
            "i need someone out here asap",
            "i've been arrested and i need a lawyer",
            "my court date is tomorrow and i don't have a lawyer",
            "my basement is flooding",
            "sewage is coming up through the shower drain",
            "my gums wont stop bleeding after the extraction",
        ] {
            assert!(!life(text), "not 911: {text}");
            assert!(urgent(text), "urgent: {text}");
        }
    }

    #[test]
    fn questions_about_emergency_service_and_calm_requests_are_not_urgent() {
        for text in [
            "do you guys handle emergencies",
            "how much is an emergency visit",
            "do you do emergency plumbing",
            "is there an emergency fee after hours",
            "it's not urgent just want to book a cleaning",
            "no rush, whenever someone can call me back",
            "i'd like to schedule a fire sprinkler inspection",
            "can i book a checkup for my dog",
        ] {
            assert!(!life(text), "not 911: {text}");
            assert!(!urgent(text), "not urgent: {text}");
        }
    }

    #[test]
    fn signs_that_together_endanger_a_person_are_life_threats() {
        for text in [
            "we hit a pole and my brother's head is bleeding",
            "there's a fumes smell in the garage and my husband is dizzy and nauseous",
            "the generator fumes got in the house and the kids are throwing up",
            "we got t boned at the light and my mom is kind of out of it",
            "i've been thinking about ending my life",
            "honestly i think everyone would be better off dead without me",
            "i don't want to live anymore",
        ] {
            assert!(life(text), "{text}");
        }
    }

    #[test]
    fn people_hurt_in_a_crash_or_down_and_bleeding_are_life_threats() {
        for said in [
            "a car just drove into your patio and there's people on the ground bleeding",
            "a truck ran into the front window and a customer is bleeding",
            "my kid got hit by a car in your parking lot and he's bleeding",
            "a lady fell down the stairs she's on the floor bleeding",
        ] {
            assert!(life(said), "{said}");
        }
        for said in [
            "someone ran into my car in your lot no one's hurt but the bumper's dented",
            "my gums are bleeding a bit when i brush",
        ] {
            assert!(!life(said), "{said}");
        }
    }

    #[test]
    fn someone_made_ill_by_a_meal_is_urgent_not_911() {
        for said in [
            "i had the fish tacos there for lunch and i've been throwing up ever since",
            "my whole family ate your catering yesterday and we all have diarrhea",
            "we ate there last night and we think it's food poisoning",
            "my son had a reaction to the sauce and we had to use his epipen",
        ] {
            assert!(urgent(said), "{said}");
            assert!(!life(said), "{said}");
        }
        // A meal from elsewhere is not this business's urgent work.
        assert!(!urgent(
            "we ate lunch near you and my son's been throwing up ever since is the dentist in"
        ));
        // Calling off a visit because of it is not urgent work.
        assert!(!urgent(
            "i ate something bad and i've been throwing up so i need to cancel my cleaning"
        ));
    }

    #[test]
    fn look_alikes_of_life_threats_are_not_911() {
        for text in [
            "i want to cancel my life insurance policy",
            "we're ending my life insurance and starting a new plan",
            "my dog hit his head and is bleeding",
            "the quickbooks file crashed and i'm throwing up my hands",
            "i feel dizzy just looking at this bill",
            "the smoke detector keeps beeping and i have a headache",
            "i had a fender bender last week can i get an estimate",
            "the perm chemicals smell so strong my daughter felt nauseous",
            "my son bumped his head and it's bleeding a little",
            "the smoke from the fireplace gives me a headache",
        ] {
            assert!(!life(text), "not 911: {text}");
        }
    }

    #[test]
    fn money_or_property_being_taken_and_drivers_stranded_are_urgent() {
        for text in [
            "the bank says they'll foreclose on the house next week",
            "the state garnished my wages",
            "they're going to start taking a third of my paycheck",
            "they froze my checking account this morning",
            "my truck is on the shoulder of the interstate",
            "i'm pulled over with a flat and no spare",
            "my landlord needs the paperwork by tomorrow",
            "i have to send it to the county by friday",
        ] {
            assert!(urgent(text), "urgent: {text}");
            assert!(!life(text), "not 911: {text}");
        }
        for text in [
            "how do i change how much they take out of my paycheck",
            "can i set up a payment plan for my balance",
            "i'd like to book an oil change for next week",
            "could somebody swing by tomorrow for a tune up",
            "my dog has a lump on the shoulder",
            "i got pulled over for a broken tail light can you fix it",
            "the app froze my screen when i tried to pay",
        ] {
            assert!(!urgent(text), "not urgent: {text}");
        }
    }
}
