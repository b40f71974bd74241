import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './passwords';

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email('Saisissez une adresse électronique valide.'),
  password: z.string().min(1, 'Saisissez votre mot de passe.').max(1000),
  retour: z.string().optional(),
});

export const passwordField = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Le mot de passe doit contenir au moins ${MIN_PASSWORD_LENGTH} caractères.`)
  .max(200, 'Le mot de passe est trop long.');

export const acceptInvitationSchema = z
  .object({
    displayName: z.string().trim().min(2, 'Indiquez vos prénom et nom.').max(120),
    password: passwordField,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Les deux mots de passe ne sont pas identiques.' });

export const tokenCreateSchema = z.object({
  name: z.string().trim().min(1, 'Donnez un nom au jeton.').max(80),
  role: z.enum(['referent', 'viewer', 'evaluator']).optional(),
});
