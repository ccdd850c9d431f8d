"""Mobilities: one learner's stay abroad, planned and recorded inside the MoU in force."""
