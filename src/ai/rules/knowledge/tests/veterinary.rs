//! Callers of a veterinary clinic, as speech recognition writes them down.

use super::{Case, FollowUp, NONE, TwoAtOnce};

pub(super) const FIXTURE: &str = include_str!("fixtures/veterinary.toml");

#[rustfmt::skip]
pub(super) const QUESTIONS: &[Case] = &[
    ("are you taking new clients", "accepting new patients"),
    ("i just adopted a cat are you accepting new pets", "accepting new patients"),
    ("what shots does my dog need", "vaccines does my dog need"),
    ("my puppy is eight weeks old when does he need his shots", "vaccines does my dog need"),
    ("does my dog need the kennel cough vaccine", "vaccines does my dog need"),
    ("how much is a checkup for my cat", "wellness exam"),
    ("what do you charge for an annual exam", "wellness exam"),
    ("how much are vaccines", "wellness exam"),
    ("how much to get my cat fixed", "spay and neuter"),
    ("do you neuter dogs", "spay and neuter"),
    ("whats the cost to spay a dog", "spay and neuter"),
    ("what days do you do surgery", "spay and neuter"),
    ("do you see rabbits", "exotic pets"),
    ("can you guys treat my bearded dragon", "exotic pets"),
    ("do you take birds", "exotic pets"),
    ("do you board dogs", "boarding"),
    ("how much is boarding for a cat", "boarding"),
    ("can i leave my dog with you while im on vacation", "boarding"),
    ("do you do nail trims", "grooming"),
    ("can i get my dog groomed", "grooming"),
    ("do you give baths", "grooming"),
    ("my dog ate chocolate what should i do", "pet emergency"),
    ("where do i go if its an emergency at night", "pet emergency"),
    ("do you do dental cleanings for dogs", "dental cleanings"),
    ("my cats teeth are really bad do you do dentals", "dental cleanings"),
    ("how much is a dog teeth cleaning", "dental cleanings"),
    ("can you microchip my puppy", "microchip"),
    ("do you guys do microchips", "microchip"),
    ("i need a refill on my dogs medication", "prescriptions refilled"),
    ("can i order my dogs meds from you", "prescriptions refilled"),
    ("do you take trupanion", "pet insurance"),
    ("do you accept pet insurance", "pet insurance"),
    ("do you have payment plans", "payment plans"),
    ("do you take scratch pay", "payment plans"),
    ("who are the vets there", "veterinarians"),
    ("is there a vet who specializes in cats", "veterinarians"),
    ("whats the name of the doctor", "veterinarians"),
    ("do you put pets down", "euthanasia"),
    ("my dog is very old and i think its time to put him to sleep", "euthanasia"),
    ("do you do cremation", "euthanasia"),
    ("do you have a puppy package", "puppy and kitten packages"),
    ("how much are the kitten packages", "puppy and kitten packages"),
    ("do you sell dog food", NONE),
    ("do you treat horses", NONE),
    ("do you have a dog park", NONE),
    ("do you do acupuncture for dogs", NONE),
    ("how much is an mri", NONE),
    ("is doctor smith working today", NONE),
    ("do you do dog training classes", NONE),
    ("how much is an ultrasound", NONE),
    ("do you have a cat adoption program", NONE),
    ("can you trim my horses hooves", NONE),
];

#[rustfmt::skip]
pub(super) const FOLLOW_UPS: &[FollowUp] = &[
    ("boarding", "what about cats", "boarding"),
    ("microchip", "how much is that", "microchip"),
    ("vaccines does my dog need", "how much are they", "wellness exam"),
    ("pet insurance", "and do you do payment plans too", "payment plans"),
    ("spay and neuter", "how long does that take", NONE),
    ("grooming", "do you do that on sundays", NONE),
];

#[rustfmt::skip]
pub(super) const TWO_AT_ONCE: &[TwoAtOnce] = &[
    ("do you board cats and how much is it", &["boarding"]),
    ("do you microchip and do you take trupanion", &["microchip", "pet insurance"]),
    ("how much is a spay i also wanted to ask if you do nail trims", &["spay and neuter", "grooming"]),
    ("do you see rabbits and what shots does my dog need", &["exotic pets", "vaccines does my dog need"]),
];
