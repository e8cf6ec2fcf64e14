import { SetMetadata } from '@nestjs/common';

export const PROJECT_FIELD_IN_FORM = 'projectFieldInForm';
/**
 * A staff form whose handler checks the posted `project` box against the user's projects
 * itself, answering with the form and an error naming the box (still 403 PROJECT_NOT_ASSIGNED)
 * instead of the guard's refusal page. The `:project` path parameter is still the guard's, and
 * the service behind the form checks scope again.
 */
export const ProjectFieldCheckedByForm = () => SetMetadata(PROJECT_FIELD_IN_FORM, true);
