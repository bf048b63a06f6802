import type { ComponentType } from 'react';
import { OrgsScreen } from './orgs-screen';
import { ListsScreen } from './lists-screen';
import { PrepareScreen } from './prepare-screen';
import { UploadScreen } from './upload-screen';
import { FailuresScreen } from './failures-screen';
import { HistoryScreen } from './history-screen';

/** One entry of the navigation: the route id (`#/id`), its label and its screen. */
export interface ScreenEntry {
  id: string;
  label: string;
  /** Single key used with Alt for the keyboard shortcut. */
  shortcut: string;
  component: ComponentType;
}

/** The navigation, in the order a consultant works: orgs → lists → prepare → upload → fix → review. */
export const screens: ScreenEntry[] = [
  { id: 'orgs', label: 'Orgs', shortcut: '1', component: OrgsScreen },
  { id: 'lists', label: 'Contact lists', shortcut: '2', component: ListsScreen },
  { id: 'prepare', label: 'Prepare CSV', shortcut: '3', component: PrepareScreen },
  { id: 'upload', label: 'Upload', shortcut: '4', component: UploadScreen },
  { id: 'failures', label: 'Failures', shortcut: '5', component: FailuresScreen },
  { id: 'history', label: 'History', shortcut: '6', component: HistoryScreen },
];
